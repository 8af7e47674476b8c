package dev.nnc.autodiff;

import dev.nnc.graph.ExprPrinter;
import dev.nnc.graph.Kind;
import dev.nnc.ops.Fn;
import dev.nnc.graph.Node;
import dev.nnc.tensor.Values;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Derivation}'s simplified gradients as definitions a person can read: subterms that several
 * gradients share get a name and are printed once, above the gradients that use them.
 *
 * <pre>
 *   dW1 = x outer (relu'(x @ W1 + b1) * (W2 @ (out - y)))      dout = out - y
 *   db1 = relu'(x @ W1 + b1) * (W2 @ (out - y))           -&gt;   delta1 = relu'(x @ W1 + b1) * (W2 @ dout)
 *   dW2 = h outer (out - y)                                     dloss/dW1 = x outer delta1
 *   db2 = out - y                                               dloss/db1 = delta1 ...
 * </pre>
 *
 * A shared subterm is named as the tutorials name it. The error of a layer, dloss/dz of its
 * pre-activation {@code z = W @ a + b}, is {@code delta<l>}, with {@code l} the layer's number
 * counted from the input (so the output layer's is {@code delta<L>}, and
 * {@code delta<l> = (W<l+1>' @ delta<l+1>) * act'(z<l>)}). When the loss carries a constant factor
 * (mse's 2), the delta is the error without it and the constant stays in front of the gradients.
 * Another adjoint of the model's binding {@code name} is {@code d<name>} (the reader knows it as
 * dloss/dname), and any other shared subterm {@code t1}, {@code t2}, ..., in the order of definition.
 * <p>
 * Products print with a layer's delta factored out where it is one of their factors
 * ({@code a1 * yhat * dyhat * (1 - yhat)} prints as {@code delta2 * a1}), and with their factors in
 * the order a derivation reads: constants, then the upstream error (an adjoint), then the local
 * derivatives. Named values of the model print as their names everywhere. Every order here comes
 * from declaration order or node ids, never from hashing.
 */
public final class GradientListing {

    /** One printed line: {@code lhs = rhs}. */
    public record Equation(String lhs, String rhs) {}

    private final Derivation derivation;
    /** Model bindings: the first name bound to each node (leaves and constants print as themselves). */
    private final Map<Node, String> bindingNames;
    /** Each layer's delta (its error, dloss/dz up to a constant factor) with its layer's number, from 1 at the input. */
    private final Map<Node, Integer> layerDeltas;
    /** Nodes that are the adjoint of something: printed first in a product, as the upstream error. */
    private final Set<Node> adjoints;
    /** The factors each printed product shows, in the order it shows them (memo of {@link #factors}). */
    private final Map<Node, List<Node>> products = new HashMap<>();
    /** Shared subterms in order of definition (dependencies first), with their names. */
    private final Map<Node, String> sharedNames;

    private GradientListing(Derivation derivation) {
        this.derivation = derivation;
        this.bindingNames = bindingNames(derivation);
        this.adjoints = new HashSet<>();
        for (Node adj : derivation.simplified().adjoints().values()) {
            adjoints.add(adj);
            if (adj.kind() == Kind.MUL && isCoefficient(adj.arg(0))) {
                adjoints.add(adj.arg(1)); // 2 * (out - y): the error is out - y
            }
        }
        this.layerDeltas = layerDeltas();
        this.sharedNames = nameShared();
    }

    public static GradientListing of(Derivation derivation) {
        return new GradientListing(derivation);
    }

    /** The first name each model binding has, for {@link ExprPrinter}. */
    public static Map<Node, String> bindingNames(Derivation derivation) {
        Map<Node, String> names = new LinkedHashMap<>();
        derivation.forward().bindings().forEach((name, node) -> {
            if (!node.kind().isLeaf()) {
                names.putIfAbsent(node, name);
            }
        });
        return names;
    }

    /** The names given to shared subterms, in order of definition. */
    public Map<Node, String> sharedNames() {
        return new LinkedHashMap<>(sharedNames);
    }

    /**
     * Names for generated code: the shared subterms' names, then {@code delta<l>} for every layer's
     * delta and {@code d<name>} for every adjoint of a binding that the listing did not need to name,
     * when the name is free. Deterministic: layers in order, bindings from the loss back.
     */
    public Map<Node, String> codeNames() {
        Map<Node, String> names = new LinkedHashMap<>(sharedNames);
        Set<String> taken = takenNames();
        taken.addAll(sharedNames.values());
        Map<Node, String> more = new LinkedHashMap<>();
        layerDeltas.forEach((n, layer) -> more.putIfAbsent(n, "delta" + layer));
        adjointNames().forEach(more::putIfAbsent);
        more.forEach((n, name) -> {
            if (!names.containsKey(n) && !taken.contains(name)) {
                names.put(n, name);
                taken.add(name);
            }
        });
        return names;
    }

    /**
     * {@code delta<l>} for each layer's error that is exactly dloss/dz of its pre-activation (not
     * the error without a constant factor of the loss), keyed by that adjoint.
     */
    public Map<Node, String> layerErrors() {
        Map<Node, String> errors = new LinkedHashMap<>();
        layerDeltas.forEach((n, layer) -> {
            if (derivation.simplified().adjoints().containsValue(n)) {
                errors.put(n, "delta" + layer);
            }
        });
        return errors;
    }

    /** Shared subterms first, then {@code dloss/dp} for every parameter in declaration order. */
    public List<Equation> equations(boolean latex) {
        return equations(latex ? ExprPrinter.Notation.LATEX : ExprPrinter.Notation.TEXT);
    }

    /** {@link #equations(boolean)} in any notation; in MathML each side is one element. */
    public List<Equation> equations(ExprPrinter.Notation notation) {
        List<Equation> lines = new ArrayList<>();
        for (Map.Entry<Node, String> e : sharedNames.entrySet()) {
            Map<Node, String> names = allNames();
            names.remove(e.getKey()); // a definition spells out its own top node
            ExprPrinter printer = new ExprPrinter(names, notation, products);
            lines.add(new Equation(printer.name(e.getValue()), printer.print(e.getKey())));
        }
        ExprPrinter printer = new ExprPrinter(allNames(), notation, products);
        derivation.simplified().params().forEach((param, grad) ->
                lines.add(new Equation(gradientName(param, printer, notation), printer.print(grad))));
        return lines;
    }

    /** Each parameter's gradient as one expression, without shared names (model bindings by name). */
    public Map<String, String> inline(boolean latex) {
        ExprPrinter printer = new ExprPrinter(bindingNames, latex);
        Map<String, String> result = new LinkedHashMap<>();
        derivation.simplified().params().forEach((param, grad) -> result.put(param, printer.print(grad)));
        return result;
    }

    /** The kinds of operation the listing prints (not those hidden inside the model's named values). */
    public Set<Kind> printedKinds() {
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        printed().forEach(n -> kinds.add(n.kind()));
        return kinds;
    }

    /** What the reader may not know of the notation the listing prints ({@code a outer b is ...}), one sentence each. */
    public List<String> notes() {
        Set<Kind> kinds = printedKinds();
        List<String> used = new ArrayList<>();
        if (kinds.contains(Kind.OUTER)) {
            used.add("a outer b is the matrix of the products a[i] * b[j]");
        }
        printedFunctions().stream().map(Fn::note).filter(java.util.Objects::nonNull).forEach(used::add);
        if (kinds.contains(Kind.GE)) {
            used.add("[a >= b] is 1 where a >= b, else 0");
        }
        String text = derivation.forward().masks().isEmpty() ? "" : text();
        derivation.forward().masks().stream().filter(m -> java.util.regex.Pattern.compile("\\b" + m.name() + "\\b").matcher(text).find()).forEach(m -> {
            double p = m.value().scalarValue();
            used.add(m.name() + " is the mask of dropout(..., " + Values.format(p) + "): 1 / (1 - " + Values.format(p) + ") = "
                    + Values.format(1 / (1 - p)) + " where a training step keeps an element, 0 where it drops it"
                    + " (drawn afresh per sample and step); all ones outside training");
        });
        if (kinds.contains(Kind.EMBED)) {
            used.add("embed(a, [i] of [n]) is zeros of shape [n] with a at [i] (the adjoint of x[i])");
        }
        return used;
    }

    /** The functions the listing prints, in {@link Fn}'s order. */
    public Set<Fn> printedFunctions() {
        Set<Fn> fns = EnumSet.noneOf(Fn.class);
        printed().stream().filter(n -> n.fn() != null).forEach(n -> fns.add(n.fn()));
        return fns;
    }

    private List<Node> printed() {
        Set<Node> visited = new HashSet<>();
        List<Node> order = new ArrayList<>();
        for (Node root : derivation.simplified().params().values()) {
            postOrder(root, visited, order);
        }
        return order;
    }

    /** The listing as text, the {@code =} signs of each block aligned. */
    public String text() {
        List<Equation> lines = equations(false);
        int shared = sharedNames.size();
        StringBuilder out = new StringBuilder();
        appendAligned(out, lines.subList(0, shared));
        if (shared > 0 && shared < lines.size()) {
            out.append('\n');
        }
        appendAligned(out, lines.subList(shared, lines.size()));
        return out.toString();
    }

    /** The listing as one LaTeX {@code aligned} block, ready for a display-math environment. */
    public String latex() {
        StringBuilder out = new StringBuilder("\\begin{aligned}\n");
        List<Equation> lines = equations(true);
        for (int i = 0; i < lines.size(); i++) {
            Equation e = lines.get(i);
            out.append(e.lhs()).append(" &= ").append(e.rhs()).append(i + 1 < lines.size() ? " \\\\\n" : "\n");
        }
        return out.append("\\end{aligned}\n").toString();
    }

    /** {@code dloss/dW1}, or {@code \frac{\partial \mathrm{loss}}{\partial \mathrm{W1}}}. */
    public static String gradientName(String param, ExprPrinter printer, boolean latex) {
        return gradientName(param, printer, latex ? ExprPrinter.Notation.LATEX : ExprPrinter.Notation.TEXT);
    }

    /** {@link #gradientName(String, ExprPrinter, boolean)}, or in MathML a fraction of partials. */
    public static String gradientName(String param, ExprPrinter printer, ExprPrinter.Notation notation) {
        if (notation == ExprPrinter.Notation.MATHML) {
            return dev.nnc.graph.MathMl.partial("loss", param);
        }
        if (notation == ExprPrinter.Notation.LATEX) {
            return "\\frac{\\partial \\mathrm{loss}}{\\partial " + printer.name(param) + "}";
        }
        return "dloss/d" + param;
    }

    private Map<Node, String> allNames() {
        Map<Node, String> names = new LinkedHashMap<>(bindingNames);
        names.putAll(sharedNames);
        return names;
    }

    private static void appendAligned(StringBuilder out, List<Equation> lines) {
        int width = 0;
        for (Equation e : lines) {
            width = Math.max(width, e.lhs().length());
        }
        for (Equation e : lines) {
            out.append(e.lhs()).append(" ".repeat(width - e.lhs().length())).append(" = ").append(e.rhs()).append('\n');
        }
    }

    // ---- finding and naming the shared subterms

    /** Whether a node is printed as a name (or a number) and so never looked into. */
    private boolean isAtom(Node n) {
        return n.kind().isLeaf() || bindingNames.containsKey(n);
    }

    /**
     * A transpose or broadcast prints as little more than its argument, so it is never named itself;
     * the uses it receives count as uses of its argument, which is what gets printed twice.
     */
    private static boolean isTransparent(Node n) {
        return n.kind() == Kind.TRANSPOSE || n.kind() == Kind.BROADCAST;
    }

    /**
     * One operation on names and numbers ({@code x + 5}, {@code 1 - yhat}): repeating it reads more
     * easily than looking up a name, unless it is an adjoint the reader knows ({@code dout = out - y}).
     */
    private boolean isSmall(Node n) {
        for (Node a : n.args()) {
            if (!isAtom(a) && !a.isConst()) {
                return false;
            }
        }
        return true;
    }

    private Map<Node, String> nameShared() {
        List<Node> roots = new ArrayList<>(derivation.simplified().params().values());
        Map<Node, Integer> uses = printedUses(roots);
        Map<Node, String> adjointOf = adjointNames();
        Set<String> taken = takenNames();
        Map<Node, String> names = new LinkedHashMap<>();
        int counter = 0;
        Set<Node> visited = new HashSet<>();
        for (Node root : roots) {
            // post-order, arguments left to right: a definition comes after those it uses
            List<Node> order = new ArrayList<>();
            postOrder(root, visited, order);
            for (Node n : order) {
                Integer layer = layerDeltas.get(n);
                String name = layer != null ? "delta" + layer : adjointOf.get(n);
                if (uses.getOrDefault(n, 0) < 2 || isTransparent(n) || (name == null && isSmall(n))) {
                    continue;
                }
                if (name != null && taken.contains(name) && layer != null) {
                    name = adjointOf.get(n);
                }
                if (name == null || taken.contains(name)) {
                    do {
                        name = "t" + ++counter;
                    } while (taken.contains(name));
                }
                taken.add(name);
                names.put(n, name);
            }
        }
        return names;
    }

    private void postOrder(Node root, Set<Node> visited, List<Node> order) {
        // iterative, since a deep network makes a deep gradient
        List<Node> stack = new ArrayList<>(List.of(root));
        List<Boolean> expanded = new ArrayList<>(List.of(false));
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Node n = stack.get(top);
            if (expanded.get(top)) {
                stack.remove(top);
                expanded.remove(top);
                order.add(n);
                continue;
            }
            if (!visited.add(n) || isAtom(n) || n.isConst()) {
                stack.remove(top);
                expanded.remove(top);
                continue;
            }
            expanded.set(top, true);
            List<Node> children = children(n);
            for (int i = children.size() - 1; i >= 0; i--) {
                stack.add(children.get(i));
                expanded.add(false);
            }
        }
    }

    /**
     * How many times each unnamed operation would be printed if nothing were named: once per gradient
     * that is it, once per operation that uses it (a transparent user passes on its own count).
     * Named values and leaves are not looked into.
     */
    private Map<Node, Integer> printedUses(List<Node> roots) {
        Map<Integer, Node> reached = new HashMap<>();
        List<Node> stack = new ArrayList<>(roots);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (isAtom(n) || n.isConst() || reached.putIfAbsent(n.id(), n) != null) {
                continue;
            }
            stack.addAll(children(n));
        }
        List<Node> users = new ArrayList<>(reached.values());
        users.sort((a, b) -> Integer.compare(b.id(), a.id())); // users before what they use
        Map<Node, Integer> uses = new HashMap<>();
        for (Node root : roots) {
            uses.merge(root, 1, Integer::sum);
        }
        for (Node user : users) {
            int passed = isTransparent(user) ? uses.getOrDefault(user, 0) : 1;
            for (Node arg : children(user)) {
                if (reached.containsKey(arg.id())) {
                    uses.merge(arg, passed, Integer::sum);
                }
            }
        }
        return uses;
    }

    // ---- layers, their deltas, and products as they print

    /** What a node shows when printed: a product its {@link #factors}, anything else its arguments. */
    private List<Node> children(Node n) {
        return n.kind() == Kind.MUL ? factors(n) : n.args();
    }

    /**
     * The factors a product prints: a layer's delta in place of its own factors when they are among
     * the product's (the delta with the most factors); then, in a layer's delta and in a product
     * with a delta in it, ordered as a derivation reads: numbers first, the upstream error (an
     * adjoint) next, the local derivatives after it. Other products keep the simplifier's order.
     */
    private List<Node> factors(Node product) {
        List<Node> known = products.get(product);
        if (known != null) {
            return known;
        }
        List<Node> factors = flatten(product);
        Node best = null;
        List<Node> bestRest = null;
        for (Node delta : layerDeltas.keySet()) {
            if (delta == product || delta.kind() != Kind.MUL) {
                continue;
            }
            List<Node> rest = without(factors, flatten(delta));
            if (rest != null && !rest.isEmpty() && (bestRest == null || rest.size() < bestRest.size())) {
                best = delta;
                bestRest = rest;
            }
        }
        List<Node> shown = new ArrayList<>();
        if (best != null) {
            shown.add(best);
            shown.addAll(bestRest);
        } else {
            shown.addAll(factors);
        }
        if (best == null && !layerDeltas.containsKey(product)) {
            List<Node> result = List.copyOf(shown); // a product of no layer prints as simplified
            products.put(product, result);
            return result;
        }
        List<Node> ordered = new ArrayList<>();
        shown.stream().filter(GradientListing::isCoefficient).forEach(ordered::add);
        shown.stream().filter(f -> !isCoefficient(f) && isUpstream(f)).forEach(ordered::add);
        shown.stream().filter(f -> !isCoefficient(f) && !isUpstream(f)).forEach(ordered::add);
        List<Node> result = List.copyOf(ordered);
        products.put(product, result);
        return result;
    }

    /** A number (a constant whose elements are all equal), which leads a product. */
    private static boolean isCoefficient(Node f) {
        if (!f.isConst()) {
            return false;
        }
        for (int i = 1; i < f.value().size(); i++) {
            if (Double.compare(f.value().get(i), f.value().get(0)) != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean isUpstream(Node f) {
        return layerDeltas.containsKey(f) || (adjoints.contains(f) && !isAtom(f));
    }

    /** The factors of a chain of products, left to right; named values are not looked into. */
    private List<Node> flatten(Node n) {
        List<Node> out = new ArrayList<>();
        List<Node> stack = new ArrayList<>(List.of(n));
        while (!stack.isEmpty()) {
            Node x = stack.remove(stack.size() - 1);
            if (x.kind() == Kind.MUL && (x == n || !isAtom(x))) {
                stack.add(x.arg(1));
                stack.add(x.arg(0));
            } else {
                out.add(x);
            }
        }
        return out;
    }

    /** {@code all} without one occurrence of each of {@code some}, or null when one is missing. */
    private static List<Node> without(List<Node> all, List<Node> some) {
        List<Node> rest = new ArrayList<>(all);
        for (Node x : some) {
            if (!rest.remove(x)) {
                return null;
            }
        }
        return rest;
    }

    /**
     * Each layer's delta with the layer's number. A layer is a pre-activation {@code W @ a + b} (or
     * {@code a @ W}, or without a bias): a sum, or a product itself, of a matrix product with a
     * parameter. Layers are numbered in the order the forward pass computes them. The delta is the
     * adjoint of the pre-activation, or, when that is a constant times a node, that node.
     */
    private Map<Node, Integer> layerDeltas() {
        List<Node> forward = forwardNodes();
        List<Node> layers = new ArrayList<>();
        Set<Node> inSums = new HashSet<>();
        for (Node n : forward) {
            if (n.kind() == Kind.ADD || n.kind() == Kind.SUB) {
                if (n.args().stream().anyMatch(a -> isLinearInParam(a) || inSums.contains(a))) {
                    inSums.add(n);
                }
            }
        }
        for (Node n : forward) {
            boolean sum = inSums.contains(n);
            boolean bare = isLinearInParam(n);
            if ((sum || bare) && derivation.simplified().adjoint(n) != null && !usedBySum(n, inSums)) {
                layers.add(n);
            }
        }
        layers.sort((a, b) -> Integer.compare(a.id(), b.id()));
        Map<Node, Integer> deltas = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Node adj = derivation.simplified().adjoint(layers.get(i));
            if (adj.kind() == Kind.MUL && adj.arg(0).isConst() && !adj.arg(1).isConst()) {
                adj = adj.arg(1);
            }
            if (!isAtom(adj) && !adj.isConst()) {
                deltas.putIfAbsent(adj, i + 1);
            }
        }
        return deltas;
    }

    /** The nodes the loss is computed from, in id (topological) order. */
    private List<Node> forwardNodes() {
        Map<Integer, Node> seen = new java.util.TreeMap<>();
        List<Node> stack = new ArrayList<>(List.of(derivation.forward().loss()));
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (seen.putIfAbsent(n.id(), n) == null) {
                stack.addAll(n.args());
            }
        }
        return new ArrayList<>(seen.values());
    }

    /** A matrix product with a parameter (possibly transposed) on either side. */
    private static boolean isLinearInParam(Node n) {
        return n.kind() == Kind.MATMUL && (isParam(n.arg(0)) || isParam(n.arg(1)));
    }

    private static boolean isParam(Node n) {
        Node x = n.kind() == Kind.TRANSPOSE ? n.arg(0) : n;
        return x.kind() == Kind.PARAM;
    }

    /** Whether a bigger sum of the layer takes {@code n} in, so that the sum is the pre-activation. */
    private boolean usedBySum(Node n, Set<Node> sums) {
        for (Node s : sums) {
            if (s != n && s.args().contains(n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The simplified adjoint of each binding, named {@code d<binding>}. When bindings share an adjoint
     * ({@code f = c + b} gives {@code c} the adjoint of {@code f}), the one nearest the loss names it:
     * that is where the backward pass computes it.
     */
    private Map<Node, String> adjointNames() {
        List<Node> nodes = new ArrayList<>(bindingNames.keySet());
        Map<Node, String> names = new LinkedHashMap<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node adj = derivation.simplified().adjoint(nodes.get(i));
            if (adj != null) {
                names.putIfAbsent(adj, "d" + bindingNames.get(nodes.get(i)));
            }
        }
        return names;
    }

    /** Names the model already uses: a shared subterm must not look like one of them. */
    private Set<String> takenNames() {
        Set<String> taken = new HashSet<>(derivation.forward().bindings().keySet());
        for (List<Node> leaves : List.of(derivation.forward().inputs(), derivation.forward().targets(),
                derivation.forward().params())) {
            leaves.forEach(n -> taken.add(n.name()));
        }
        taken.add("loss");
        return taken;
    }
}
