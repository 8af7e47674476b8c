package dev.nnc.lower;

import dev.nnc.autodiff.Derivation;
import dev.nnc.autodiff.GradientListing;
import dev.nnc.check.BinaryClassifier;
import dev.nnc.check.CheckedModel;
import dev.nnc.graph.ExprPrinter;
import dev.nnc.graph.ForwardGraph;
import dev.nnc.graph.Kind;
import dev.nnc.graph.Node;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import dev.nnc.tensor.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lower stage: the forward graph and the simplified gradients to a {@link LoopProgram} for one
 * sample, specialized to the model's sizes.
 *
 * <pre>
 *   h = relu(W @ x + b)   -&gt;   MatMul(h, W, x, epilogue = relu(product + b[i]))      one loop nest
 *   dW = delta outer x    -&gt;   Outer(dW += delta[i] * x[j])                            accumulated
 * </pre>
 *
 * Elementwise chains become one element expression ({@link Elem}) in the loop of the value that
 * needs them; a matrix product whose only user is such a chain takes the chain as its epilogue;
 * a parameter's gradient is accumulated straight into its buffer when nothing else reads it.
 */
public final class Lowering {

    /**
     * What the program computes: a training step (loss and gradients), evaluation (loss and output)
     * or prediction (the output alone, so the targets need not be known).
     */
    public enum Purpose { TRAIN, INFER, PREDICT }

    private final ForwardGraph fwd;
    private final Names names;
    private final Map<Node, Integer> uses = new HashMap<>();
    private final Map<Node, List<Node>> users = new HashMap<>();
    private final Map<Node, Var> vars = new HashMap<>();
    private final Map<Node, String> printNames = new HashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<Var> temps = new ArrayList<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final ExprPrinter printer;

    /** Names for values the model does not name, as the tutorials write them: z1, dout, delta1. */
    private final Map<Node, String> derivedNames;

    private Lowering(Derivation d, Purpose purpose, Map<Node, String> derivedNames) {
        // outside training dropout is the identity: evaluation and prediction run the model without it
        this.fwd = purpose == Purpose.TRAIN ? d.forward() : d.forward().withoutDropout();
        this.names = new Names(fwd.model().train().optimizer().update());
        this.derivedNames = derivedNames;
        fwd.bindings().forEach((name, node) -> printNames.putIfAbsent(node, name));
        // the terms above the loops read like the gradient listing: delta1 = relu'(z2) * (out.W' @ dout)
        Map<Node, String> termNames = new HashMap<>(printNames);
        derivedNames.forEach(termNames::putIfAbsent);
        this.printer = new ExprPrinter(termNames, false);
    }

    public static LoopProgram lower(Derivation d, Purpose purpose) {
        return lower(d, purpose, derivedNames(d));
    }

    private static LoopProgram lower(Derivation d, Purpose purpose, Map<Node, String> derivedNames) {
        if (purpose != Purpose.TRAIN && !d.forward().masks().isEmpty()) {
            // the values after a dropout are other nodes without it: their pre-activations get names too
            Map<Node, String> more = new HashMap<>(derivedNames);
            preActivations(d.forward().withoutDropout()).forEach((node, name) -> {
                if (!more.containsKey(node) && !more.containsValue(name) && !ownNames(d.forward()).contains(name)) {
                    more.put(node, name);
                }
            });
            derivedNames = more;
        }
        return new Lowering(d, purpose, derivedNames).run(d, purpose);
    }

    /** The whole trainer, its training step shaped as {@link TrainerProgram.Batching#AUTO} decides. */
    public static TrainerProgram trainer(Derivation d) {
        return trainer(d, TrainerProgram.Batching.AUTO);
    }

    /**
     * The whole trainer: the three programs, the model's variables and train block, each parameter's
     * start, and the shape of its training step. The step runs over rows of samples
     * ({@link BatchLowering}) when the program allows it, the mini-batch has several samples, and some
     * weight matrix has at least {@value #BATCHED_MIN_WEIGHTS} elements (below that the kernels' extra
     * passes cost more than they gain), or at least {@value #BATCHED_MIN_WEIGHTS_LARGE_BATCH} with a
     * mini-batch of {@value #LARGE_BATCH} or more; the test data's evaluation then runs over rows too
     * when its output is a scalar or a vector.
     */
    public static TrainerProgram trainer(Derivation d, TrainerProgram.Batching batching) {
        Map<Node, String> derived = derivedNames(d); // one gradient listing for the three programs
        LoopProgram train = lower(d, Purpose.TRAIN, derived);
        LoopProgram infer = lower(d, Purpose.INFER, derived);
        CheckedModel model = d.forward().model();
        List<ParamInit> init = new ArrayList<>();
        for (int k = 0; k < model.params().size(); k++) {
            init.add(ParamInit.of(model.params().get(k), train.params().get(k)));
        }
        int batch = model.train().batch();
        boolean rows = overRows(train, batch, batching);
        RowProgram trainRows = rows ? BatchLowering.lower(train, Purpose.TRAIN, BatchLowering.capacity(Purpose.TRAIN, batch)) : null;
        RowProgram evalRows = rows && BatchLowering.supports(infer) && infer.output() != null && infer.output().shape().rank() <= 1
                ? BatchLowering.lower(infer, Purpose.INFER, BatchLowering.capacity(Purpose.INFER, batch)) : null;
        return new TrainerProgram(model.name(), model.train(), model.inputs(), model.targets(), model.output(), model.data(), init,
                train, infer, lower(d, Purpose.PREDICT, derived), trainRows, evalRows,
                BinaryClassifier.of(model).orElse(null));
    }

    /** The smallest weight matrix (elements) that makes a model train over rows. */
    static final int BATCHED_MIN_WEIGHTS = 256;

    /**
     * The smallest weight matrix (elements) that makes a model train over rows when its mini-batch
     * has {@link #LARGE_BATCH} samples or more. Measured (issue 19): 10 x 10 layers over rows ran
     * 15-29% faster than sample by sample at batches 64 and 1024 (one or three hidden layers, SGD
     * and Adam) and the same at batch 8; XOR's 2 x 8 at batch 64 ran no faster.
     */
    static final int BATCHED_MIN_WEIGHTS_LARGE_BATCH = 100;

    /** The mini-batch from which {@link #BATCHED_MIN_WEIGHTS_LARGE_BATCH} applies. */
    static final int LARGE_BATCH = 32;

    private static boolean overRows(LoopProgram train, int batch, TrainerProgram.Batching batching) {
        if (batching == TrainerProgram.Batching.NEVER || !BatchLowering.supports(train)) {
            return false;
        }
        if (batching == TrainerProgram.Batching.ALWAYS) {
            return true;
        }
        if (batch < 2) {
            return false;
        }
        for (Var p : train.params()) {
            if (p.shape().rank() == 2 && (p.shape().size() >= BATCHED_MIN_WEIGHTS
                    || batch >= LARGE_BATCH && p.shape().size() >= BATCHED_MIN_WEIGHTS_LARGE_BATCH)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pre-activation of a named value {@code h1 = act(z)} is {@code z1} ({@code z_h} for a name
     * without a number), and the gradient listing's shared subterms keep their names there
     * ({@code dout}, {@code delta1}); a name the model uses itself is never taken.
     */
    private static Map<Node, String> derivedNames(Derivation d) {
        ForwardGraph fwd = d.forward();
        Map<Node, String> derivedNames = new HashMap<>();
        Set<String> own = ownNames(fwd);
        Map<Node, String> candidates = preActivations(fwd);
        GradientListing.of(d).codeNames().forEach(candidates::putIfAbsent);
        candidates.forEach((node, name) -> {
            if (!own.contains(name) && !derivedNames.containsValue(name)) {
                derivedNames.put(node, name);
            }
        });
        return derivedNames;
    }

    /** The names the model itself gives: values, inputs, targets, parameters (as Java names), dropout masks. */
    private static Set<String> ownNames(ForwardGraph fwd) {
        Set<String> own = new HashSet<>(fwd.bindings().keySet());
        fwd.inputs().forEach(n -> own.add(n.name()));
        fwd.targets().forEach(n -> own.add(n.name()));
        fwd.params().forEach(n -> own.add(n.name().replace('.', '_')));
        fwd.masks().forEach(n -> own.add(n.name()));
        return own;
    }

    /** {@code z1} for the argument of {@code h1 = act(z)}, {@code z_h} for a name without a number. */
    private static Map<Node, String> preActivations(ForwardGraph fwd) {
        Map<Node, String> candidates = new LinkedHashMap<>();
        fwd.bindings().forEach((name, node) -> {
            if (node.kind() == Kind.FN && !fwd.bindings().containsValue(node.arg(0))) {
                java.util.regex.Matcher m = TRAILING_NUMBER.matcher(name);
                candidates.putIfAbsent(node.arg(0), m.matches() ? "z" + m.group(1) : "z_" + name.replace('.', '_'));
            }
        });
        return candidates;
    }

    private static final java.util.regex.Pattern TRAILING_NUMBER = java.util.regex.Pattern.compile("[A-Za-z_]*?(\\d+)");

    private LoopProgram run(Derivation d, Purpose purpose) {
        CheckedModel model = fwd.model();
        List<Var> inputs = new ArrayList<>();
        List<Var> targets = new ArrayList<>();
        List<Var> params = new ArrayList<>();
        List<Var> grads = new ArrayList<>();
        for (Node n : fwd.inputs()) {
            inputs.add(bind(n, new Var(names.fresh(n.name()), n.shape(), Var.Role.SAMPLE)));
        }
        for (int i = 0; i < fwd.targets().size(); i++) {
            Node n = fwd.targets().get(i);
            boolean onehot = model.targets().get(i).onehot();
            targets.add(bind(n, new Var(names.fresh(n.name()), onehot ? Shape.SCALAR : n.shape(),
                    onehot ? Var.Role.LABEL : Var.Role.SAMPLE)));
        }
        for (Node n : fwd.params()) {
            Var p = bind(n, new Var(names.fresh(n.name()), n.shape(), Var.Role.PARAM));
            params.add(p);
            grads.add(new Var(names.fresh("d" + p.name()), n.shape(), Var.Role.GRAD));
        }
        // The roots and who reads each node.
        Map<Node, List<Var>> gradientOf = new LinkedHashMap<>();
        List<Node> roots = new ArrayList<>();
        if (purpose != Purpose.PREDICT) {
            roots.add(fwd.loss());
        }
        if (purpose == Purpose.TRAIN) {
            int i = 0;
            for (Node g : d.simplified().params().values()) {
                if (!g.isConst(0)) {
                    for (Node term : accumulatedTerms(g)) {
                        gradientOf.computeIfAbsent(term, k -> new ArrayList<>()).add(grads.get(i));
                        roots.add(term);
                    }
                }
                i++;
            }
        } else if (fwd.output() != null) {
            roots.add(fwd.output());
        }
        if (roots.isEmpty()) {
            // predicting without an output: nothing to compute
            return new LoopProgram(model.name(), model.train().dtype(), inputs, List.of(), params, grads,
                    constants, List.of(), List.of(), null, null);
        }
        List<Node> order = ancestors(roots);
        for (Node n : order) {
            for (Node a : n.args()) {
                uses.merge(a, 1, Integer::sum);
            }
        }
        for (Node r : roots) {
            uses.merge(r, 1, Integer::sum);
        }
        for (Node n : order) {
            if (n.kind() == Kind.MASK) {
                // drawn first, for each sample: the forward pass and the backward pass read the same mask
                Var mask = bind(n, new Var(names.fresh(n.name()), n.shape(), Var.Role.TEMP));
                temps.add(mask);
                double p = n.value().scalarValue();
                steps.add(new Step.Mask(mask, p, mask.name() + " = dropout mask, p = " + Values.format(p) + ": 1 / (1 - p) where kept, else 0"));
            }
        }
        Var loss = null;
        Set<Node> accumulated = new HashSet<>();
        for (Node n : order) {
            if (!vars.containsKey(n) && mustMaterialize(n)) {
                List<Var> into = gradientOf.get(n);
                boolean direct = into != null && into.size() == 1 && uses.get(n) == 1 && canAccumulate(n);
                Var out = direct ? into.get(0) : temp(n);
                emit(n, out, direct);
                if (direct) {
                    accumulated.add(n);
                } else {
                    vars.put(n, out);
                }
            }
            if (n == fwd.loss()) {
                loss = materialized(n);
            }
        }
        for (Map.Entry<Node, List<Var>> e : gradientOf.entrySet()) {
            Node g = e.getKey();
            if (accumulated.contains(g)) {
                continue; // its loop already adds into the gradient buffer
            }
            for (Var grad : e.getValue()) {
                steps.add(new Step.Elementwise(grad, g.shape(), elem(g), true, grad.name() + " += " + printer.print(g)));
            }
        }
        Var output = purpose != Purpose.TRAIN && fwd.output() != null ? materialized(fwd.output()) : null;
        // the loss and the output are read after the loops (by evaluate's caller): never fused away
        List<Var> kept = new ArrayList<>();
        for (Var v : new Var[] {loss, output}) {
            if (v != null) {
                kept.add(v);
            }
        }
        List<Step> fused = EpilogueFusion.fuse(steps, temps, kept);
        List<Var> live = new ArrayList<>();
        for (Var t : temps) {
            if (t == loss || t == output || EpilogueFusion.isUsed(t, fused)) {
                live.add(t);
            }
        }
        return new LoopProgram(model.name(), model.train().dtype(), inputs,
                purpose == Purpose.PREDICT ? List.of() : targets, params, grads, constants, live, fused, loss, output);
    }

    private Var bind(Node n, Var v) {
        vars.put(n, v);
        return v;
    }

    /** The variable holding {@code n}, materializing it (as a scalar or buffer) if it is inline so far. */
    private Var materialized(Node n) {
        Var v = vars.get(n);
        if (v != null && v.role() == Var.Role.LABEL) {
            // a onehot target read whole (by a product, softmax, ...): its one-hot vector, once per sample
            Var hot = temp(n);
            steps.add(new Step.Elementwise(hot, n.shape(), new Elem.OneHot(v), false, hot.name() + " = " + printer.print(n)));
            vars.put(n, hot);
            return hot;
        }
        if (v == null && n.kind() == Kind.CONST && constant(n) instanceof Elem.Load c) {
            return c.var(); // a constant tensor is its own buffer
        }
        if (v == null) {
            v = temp(n);
            emit(n, v, false);
            vars.put(n, v);
        }
        return v;
    }

    private Var temp(Node n) {
        String binding = printNames.get(n);
        String derived = derivedNames.get(n);
        String name = n == fwd.loss() ? names.fresh("loss")
                : names.fresh(binding != null ? binding : derived != null ? derived : sliceName(n) != null ? sliceName(n) : "t" + n.id());
        Var v = new Var(name, n.shape(), Var.Role.TEMP);
        temps.add(v);
        return v;
    }

    /**
     * The terms a gradient is accumulated from, each in its own loop: a sum of a slice's adjoint and an
     * outer product ({@code embed(dout, [:, 0] of [4, 3]) + delta outer x}) adds its terms one by one, so
     * that the outer product still adds straight into the gradient (a kernel over rows) and the embed
     * only the elements it has; any other gradient is one term.
     */
    private static List<Node> accumulatedTerms(Node g) {
        List<Node> terms = new ArrayList<>();
        collectTerms(g, terms);
        boolean split = terms.stream().anyMatch(t -> t.kind() == Kind.EMBED) && terms.stream().anyMatch(t -> t.kind() == Kind.OUTER);
        return split ? terms : List.of(g);
    }

    private static void collectTerms(Node n, List<Node> into) {
        if (n.kind() == Kind.ADD && n.arg(0).shape().equals(n.shape()) && n.arg(1).shape().equals(n.shape())) {
            collectTerms(n.arg(0), into);
            collectTerms(n.arg(1), into);
        } else {
            into.add(n);
        }
    }

    /** A stored slice is named after what it takes: {@code x_2to5} for {@code x[2:5]}, {@code W_all_0} for {@code W[:, 0]}. */
    private String sliceName(Node n) {
        Var of = n.kind() == Kind.SLICE ? vars.get(n.arg(0)) : null;
        if (of == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(of.name());
        for (int d = 0; d < n.index().axes().size(); d++) {
            dev.nnc.tensor.Index.Axis a = n.index().axes().get(d);
            boolean whole = a.kept() && a.start() == 0 && a.end() == n.index().of().dim(d);
            b.append('_').append(whole ? "all" : a.kept() ? a.start() + "to" + a.end() : String.valueOf(a.start()));
        }
        return b.toString();
    }

    private static boolean isElementwise(Kind k) {
        return k.isElementwise();
    }

    /** A node gets its own loop unless it is an elementwise link read once, by an elementwise user. */
    private boolean mustMaterialize(Node n) {
        if (n.kind().isLeaf()) {
            return false;
        }
        if (n.kind() == Kind.OUTER && usersOf(n).size() == 1 && usersOf(n).get(0).kind() == Kind.MUL
                && mustMaterialize(usersOf(n).get(0)) && scaledOuter(usersOf(n).get(0)) == n) {
            return false; // its scalar multiple's loop computes it (see emit)
        }
        if (!isElementwise(n.kind()) && n.kind().family() != Kind.Family.INDEXING) {
            return !(n.kind() == Kind.TRANSPOSE && onlyMatMulOperand(n));
        }
        return uses.getOrDefault(n, 0) != 1 || !readByElementwise(n);
    }

    private boolean readByElementwise(Node n) {
        for (Node user : usersOf(n)) {
            Kind k = user.kind();
            if (!(isElementwise(k) || k == Kind.SUM || k == Kind.OUTER)) {
                return false;
            }
        }
        return !usersOf(n).isEmpty();
    }

    private boolean onlyMatMulOperand(Node n) {
        List<Node> users = usersOf(n);
        return !users.isEmpty() && users.stream().allMatch(u -> u.kind() == Kind.MATMUL);
    }

    private List<Node> usersOf(Node n) {
        return users.getOrDefault(n, List.of());
    }

    private List<Node> ancestors(List<Node> roots) {
        Map<Node, Boolean> seen = new HashMap<>();
        List<Node> stack = new ArrayList<>(roots);
        List<Node> found = new ArrayList<>();
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (seen.put(n, true) == null) {
                found.add(n);
                for (Node a : n.args()) {
                    users.computeIfAbsent(a, k -> new ArrayList<>()).add(n);
                    stack.add(a);
                }
            }
        }
        found.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return found;
    }

    /** Steps that can add into a gradient buffer instead of writing a fresh value. */
    private static boolean canAccumulate(Node n) {
        return !n.kind().isLeaf() && n.kind() != Kind.SOFTMAX && n.kind() != Kind.LOGSUMEXP
                && n.kind() != Kind.TRANSPOSE && n.kind() != Kind.SUM;
    }

    private void emit(Node n, Var out, boolean accumulate) {
        String term = (accumulate ? out.name() + " += " : out.name() + " = ") + printer.define(n);
        switch (n.kind()) {
            case SUM -> steps.add(new Step.Sum(out, n.arg(0).shape(), elem(n.arg(0)), term));
            case MATMUL -> {
                Node a = n.arg(0);
                Node b = n.arg(1);
                boolean ta = a.kind() == Kind.TRANSPOSE && !vars.containsKey(a);
                boolean tb = b.kind() == Kind.TRANSPOSE && !vars.containsKey(b);
                steps.add(new Step.MatMul(out, materialized(ta ? a.arg(0) : a), ta, materialized(tb ? b.arg(0) : b), tb,
                        new Elem.Product(), accumulate, term));
            }
            case OUTER -> steps.add(new Step.Outer(out, elem(n.arg(0)), elem(n.arg(1)), accumulate, term));
            case MUL -> {
                Node outer = scaledOuter(n);
                if (outer != null) {
                    // c * (a outer b), as a gradient of mse has it: (c * a) outer b, one loop nest and no matrix temporary
                    Node c = n.arg(0) == outer ? n.arg(1) : n.arg(0);
                    steps.add(new Step.Outer(out, new Elem.Apply(Kind.MUL, List.of(elem(c), elem(outer.arg(0)))),
                            elem(outer.arg(1)), accumulate, term));
                } else {
                    steps.add(new Step.Elementwise(out, n.shape(), elemOf(n), accumulate, term));
                }
            }
            case SOFTMAX -> steps.add(new Step.Softmax(out, materialized(n.arg(0)), term));
            case LOGSUMEXP -> steps.add(new Step.LogSumExp(out, materialized(n.arg(0)), term));
            case TRANSPOSE -> steps.add(new Step.Transpose(out, materialized(n.arg(0)), term));
            // a leaf gets a loop when a gradient is a constant or a copy of one
            case ADD, SUB, DIV, POW, MAX, MIN, NEG, GE, FN, BROADCAST, CONST, INPUT, TARGET, PARAM, MASK, SLICE, EMBED ->
                    steps.add(new Step.Elementwise(out, n.shape(), elemOf(n), accumulate, term));
        }
    }

    /** The outer product {@code o} of a product {@code c * o} with a scalar {@code c}, when nothing else reads {@code o}; else null. */
    private Node scaledOuter(Node mul) {
        for (int k = 0; k < 2; k++) {
            Node o = mul.arg(k);
            Node c = mul.arg(1 - k);
            if (o.kind() == Kind.OUTER && c.shape().isScalar() && uses.getOrDefault(o, 0) == 1 && !vars.containsKey(o)) {
                return o;
            }
        }
        return null;
    }

    /** The element expression reading {@code n}: its variable, a literal, or its inline chain. */
    private Elem elem(Node n) {
        Var v = vars.get(n);
        if (v != null) {
            return v.role() == Var.Role.LABEL ? new Elem.OneHot(v) : new Elem.Load(v);
        }
        if (n.kind() == Kind.CONST) {
            return constant(n);
        }
        if (mustMaterialize(n)) {
            return new Elem.Load(materialized(n));
        }
        return elemOf(n);
    }

    private Elem elemOf(Node n) {
        if (n.kind() == Kind.CONST) {
            return constant(n); // a uniform constant materialized by a non-elementwise reader
        }
        if (n.kind() == Kind.BROADCAST) {
            return elem(n.arg(0));
        }
        // a slice reads its argument at other indices than its own: the argument is stored
        if (n.kind() == Kind.SLICE) {
            return new Elem.Slice(materialized(n.arg(0)), n.index());
        }
        if (n.kind() == Kind.EMBED) {
            return new Elem.Embed(materialized(n.arg(0)), n.index());
        }
        List<Elem> args = new ArrayList<>();
        for (Node a : n.args()) {
            args.add(elem(a));
        }
        return new Elem.Apply(n.kind(), n.fn(), args);
    }

    private Elem constant(Node n) {
        Tensor t = n.value();
        boolean uniform = true;
        for (int i = 1; i < t.size() && uniform; i++) {
            uniform = Double.compare(t.get(i), t.get(0)) == 0;
        }
        if (uniform) {
            return new Elem.Literal(t.get(0));
        }
        Var v = new Var(names.fresh("c" + n.id()), n.shape(), Var.Role.CONST);
        constants.put(v.name(), t);
        vars.put(n, v);
        return new Elem.Load(v);
    }
}
