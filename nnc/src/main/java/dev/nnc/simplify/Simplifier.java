package dev.nnc.simplify;

import dev.nnc.graph.Graph;
import dev.nnc.graph.Node;
import dev.nnc.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simplify stage: rewrites a set of roots bottom-up until nothing changes or the budget of
 * rewrites is spent, so it ends on every input. Sums and products are put in normal form by
 * {@link Sums} and {@link Products} (like terms, powers, constants, identities); the structural
 * rules of {@link Rules} run to a fixpoint on each node. Deterministic: the same graph gives the same
 * nodes, in the same order.
 *
 * <pre>
 *   2 * ((x + 5)^3 + 1) * (3 * (x + 5)^2 * 1)   -&gt;   6 * (x + 5)^2 * ((x + 5)^3 + 1)
 * </pre>
 */
public final class Simplifier {

    /** Rewrites allowed per run: far above what any real model needs, far below a hang. */
    public static final int DEFAULT_BUDGET = 200_000;

    private final Graph graph;
    private final Set<Node> opaque;
    private final Map<Node, Node> done = new HashMap<>();
    private final Map<Node, Integer> sizes = new HashMap<>();
    private final Sums sums;
    private final Products products;
    private final Rules rules;
    private int budget;

    /**
     * @param opaque nodes to keep as written and treat as atoms: the named values of the model, so
     *               that gradients are expressed in them and reuse their forward values
     */
    public Simplifier(Graph graph, Set<Node> opaque, int budget) {
        this.graph = graph;
        this.opaque = Set.copyOf(opaque);
        this.budget = budget;
        this.sums = new Sums(this);
        this.products = new Products(this);
        this.rules = new Rules(this);
    }

    public Simplifier(Graph graph, Set<Node> opaque) {
        this(graph, opaque, DEFAULT_BUDGET);
    }

    Graph graph() {
        return graph;
    }

    /** True while rewrites are left; each call spends one. */
    boolean spend() {
        if (budget <= 0) {
            return false;
        }
        budget--;
        return true;
    }

    public int budgetLeft() {
        return budget;
    }

    /** The simplified form of {@code n}; equal in value wherever {@code n} is defined. */
    public Node simplify(Node n) {
        Node cached = done.get(n);
        if (cached != null) {
            return cached;
        }
        // Iterative over a deep graph: simplify arguments first, in id order.
        List<Node> order = new ArrayList<>();
        collect(n, order);
        Node result = n;
        for (Node m : order) {
            result = simplifyOne(m);
        }
        return result;
    }

    /** The nodes below {@code n} that are not simplified yet, arguments before their users. */
    private void collect(Node root, List<Node> order) {
        List<Node> stack = new ArrayList<>(List.of(root));
        Map<Node, Boolean> seen = new HashMap<>();
        List<Node> found = new ArrayList<>();
        while (!stack.isEmpty()) {
            Node m = stack.remove(stack.size() - 1);
            if (done.containsKey(m) || seen.put(m, true) != null) {
                continue;
            }
            found.add(m);
            stack.addAll(m.args());
        }
        found.sort((a, b) -> Integer.compare(a.id(), b.id()));
        order.addAll(found);
    }

    private Node simplifyOne(Node n) {
        Node cached = done.get(n);
        if (cached != null) {
            return cached;
        }
        if (opaque.contains(n)) {
            done.put(n, n);
            return n;
        }
        Node rebuilt = rebuild(n);
        Node result = fixpoint(rebuilt);
        done.put(n, result);
        done.putIfAbsent(result, result);
        return result;
    }

    /** {@code n} with its arguments simplified. */
    private Node rebuild(Node n) {
        if (n.args().isEmpty()) {
            return n;
        }
        Node[] args = new Node[n.args().size()];
        boolean changed = false;
        for (int i = 0; i < args.length; i++) {
            args[i] = done.containsKey(n.arg(i)) ? done.get(n.arg(i)) : simplify(n.arg(i));
            changed |= args[i] != n.arg(i);
        }
        if (!changed) {
            return n;
        }
        return graph.with(n, args);
    }

    /**
     * Applies normal forms and rules until the node stops changing, comes back to a form it had, or the
     * budget runs out. A cycle happens where a normal form's prefix simplifies on its own:
     * {@code 2a + 2b + 3c} holds {@code 2a + 2b -> 2(a + b)}, which flattens back.
     */
    private Node fixpoint(Node n) {
        Node current = n;
        List<Node> seen = new ArrayList<>(List.of(n));
        for (int round = 0; round < 64; round++) {
            Node next = step(current);
            if (next == current || !spend()) {
                return current;
            }
            // a rewrite may build new nodes whose arguments need simplifying too
            current = simplifyArgs(next);
            if (seen.contains(current)) {
                return current;
            }
            seen.add(current);
        }
        return current;
    }

    private Node simplifyArgs(Node n) {
        Node done1 = done.get(n);
        if (done1 != null) {
            return done1;
        }
        return rebuild(n);
    }

    private Node step(Node n) {
        Node folded = rules.fold(n);
        if (folded != n) {
            return folded;
        }
        Node r = switch (n.kind()) {
            case ADD, SUB, NEG -> sums.normalize(n);
            case MUL, DIV -> products.normalize(n);
            case POW -> n.arg(1).isConst() ? products.normalize(n) : n;
            case CONST, INPUT, TARGET, PARAM, MASK, MAX, MIN, GE, FN, SUM, BROADCAST, MATMUL, TRANSPOSE, OUTER, SOFTMAX,
                    LOGSUMEXP -> n;
        };
        if (r != n) {
            return fitShape(r, n);
        }
        return rules.apply(n);
    }

    /** A rewrite may narrow a broadcast value to a scalar; spread it back to the node's shape. */
    Node fitShape(Node r, Node original) {
        if (r.shape().equals(original.shape())) {
            return r;
        }
        if (r.shape().isScalar()) {
            return graph.broadcast(r, original.shape());
        }
        throw new IllegalStateException("simplifier changed the shape of " + original + " to " + r);
    }

    /** Number of distinct nodes below and including {@code n}: the ordering key for terms and factors. */
    int size(Node n) {
        Integer s = sizes.get(n);
        if (s != null) {
            return s;
        }
        int total = countDistinct(List.of(n));
        sizes.put(n, total);
        return total;
    }

    /** How many distinct nodes the roots reach together: the measure of a graph's size. */
    public static int countDistinct(List<Node> roots) {
        Map<Node, Boolean> seen = new HashMap<>();
        List<Node> stack = new ArrayList<>(roots);
        while (!stack.isEmpty()) {
            Node m = stack.remove(stack.size() - 1);
            if (seen.put(m, true) == null) {
                stack.addAll(m.args());
            }
        }
        return seen.size();
    }

    /** Orders terms and factors: smaller expressions first, then older ones. */
    int compare(Node a, Node b) {
        int c = Integer.compare(size(a), size(b));
        return c != 0 ? c : Integer.compare(a.id(), b.id());
    }

    /** Nodes kept as they are and never looked into: the model's named values. */
    boolean isOpaque(Node n) {
        return opaque.contains(n);
    }

    /** The value every element of a constant shares, or NaN when it is not such a constant. */
    static double uniformValue(Node n) {
        if (!n.isConst()) {
            return Double.NaN;
        }
        Tensor t = n.value();
        double v = t.get(0);
        for (int i = 1; i < t.size(); i++) {
            if (Double.compare(t.get(i), v) != 0) {
                return Double.NaN;
            }
        }
        return v;
    }
}
