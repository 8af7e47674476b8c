package dev.nnc.autodiff;

import dev.nnc.graph.ExprPrinter;
import dev.nnc.graph.Kind;
import dev.nnc.ops.Fn;
import dev.nnc.graph.Node;
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
 * A shared subterm is named {@code d<name>} when it is the adjoint of the model's binding
 * {@code name} (the reader knows it as dloss/dname), {@code delta1}, {@code delta2}, ... otherwise,
 * numbered in the order of definition. Named values of the model print as their names everywhere.
 * Every order here comes from declaration order or node ids, never from hashing.
 */
public final class GradientListing {

    /** One printed line: {@code lhs = rhs}. */
    public record Equation(String lhs, String rhs) {}

    private final Derivation derivation;
    /** Model bindings: the first name bound to each node (leaves and constants print as themselves). */
    private final Map<Node, String> bindingNames;
    /** Shared subterms in order of definition (dependencies first), with their names. */
    private final Map<Node, String> sharedNames;

    private GradientListing(Derivation derivation) {
        this.derivation = derivation;
        this.bindingNames = bindingNames(derivation);
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
            ExprPrinter printer = new ExprPrinter(names, notation);
            lines.add(new Equation(printer.name(e.getValue()), printer.print(e.getKey())));
        }
        ExprPrinter printer = new ExprPrinter(allNames(), notation);
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
                String name = adjointOf.get(n);
                if (uses.getOrDefault(n, 0) < 2 || isTransparent(n) || (name == null && isSmall(n))) {
                    continue;
                }
                if (name == null || taken.contains(name)) {
                    do {
                        name = "delta" + ++counter;
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
            for (int i = n.args().size() - 1; i >= 0; i--) {
                stack.add(n.arg(i));
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
            stack.addAll(n.args());
        }
        List<Node> users = new ArrayList<>(reached.values());
        users.sort((a, b) -> Integer.compare(b.id(), a.id())); // users before what they use
        Map<Node, Integer> uses = new HashMap<>();
        for (Node root : roots) {
            uses.merge(root, 1, Integer::sum);
        }
        for (Node user : users) {
            int passed = isTransparent(user) ? uses.getOrDefault(user, 0) : 1;
            for (Node arg : user.args()) {
                if (reached.containsKey(arg.id())) {
                    uses.merge(arg, passed, Integer::sum);
                }
            }
        }
        return uses;
    }

    /**
     * The simplified adjoint of each binding, named {@code d<binding>}. When bindings share an adjoint
     * ({@code f = c + b} gives {@code c} the adjoint of {@code f}), the one nearest the loss names it:
     * that is where the backward pass computes it.
     */
    private Map<Node, String> adjointNames() {
        List<Node> nodes = new ArrayList<>(bindingNames.keySet());
        Map<Node, String> names = new HashMap<>();
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
