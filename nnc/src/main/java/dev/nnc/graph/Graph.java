package dev.nnc.graph;

import dev.nnc.diag.Pos;
import dev.nnc.ops.Fn;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The factory and owner of {@link Node}s. Hash-conses (a node asked for twice is made once), infers
 * every node's shape, and fails fast, printing the node, when an operation is given shapes it cannot
 * take: that is a bug in a pass, never a user error (the checker has already vetted the program).
 */
public final class Graph {

    private record Key(Kind kind, Fn fn, List<Node> args, Shape shape, Tensor value, String name) {}

    private final Map<Key, Node> interned = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<Node, Pos> positions = new IdentityHashMap<>();

    private Node intern(Kind kind, List<Node> args, Shape shape, Tensor value, String name) {
        return intern(kind, null, args, shape, value, name);
    }

    private Node intern(Kind kind, Fn fn, List<Node> args, Shape shape, Tensor value, String name) {
        Key key = new Key(kind, fn, args, shape, value, name);
        Node n = interned.get(key);
        if (n == null) {
            n = new Node(nodes.size(), kind, fn, args, shape, value, name);
            interned.put(key, n);
            nodes.add(n);
        }
        return n;
    }

    /** Every node made so far, in creation (topological) order. */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public Node constant(Tensor value) {
        return intern(Kind.CONST, List.of(), value.shape(), value, null);
    }

    public Node scalar(double v) {
        return constant(Tensor.scalar(v));
    }

    /** A constant of {@code shape} with every element {@code v}. */
    public Node fill(double v, Shape shape) {
        double[] data = new double[(int) shape.size()];
        Arrays.fill(data, v);
        return constant(new Tensor(shape, data));
    }

    public Node leaf(Kind kind, String name, Shape shape) {
        if (kind != Kind.INPUT && kind != Kind.TARGET && kind != Kind.PARAM) {
            throw new IllegalArgumentException("not a named leaf kind: " + kind);
        }
        return intern(kind, List.of(), shape, null, name);
    }

    /** The mask of a {@code dropout(h, p)} of {@code shape}: a leaf named {@code name} whose value is p. */
    public Node mask(String name, Shape shape, double p) {
        return intern(Kind.MASK, List.of(), shape, Tensor.scalar(p), name);
    }

    /** A scalar spread over {@code shape}; a scalar shape gives the scalar itself. */
    public Node broadcast(Node scalar, Shape shape) {
        require(scalar.shape().isScalar(), "broadcast of a non-scalar", scalar);
        if (shape.isScalar()) {
            return scalar;
        }
        if (scalar.isConst()) {
            return fill(scalar.scalar(), shape);
        }
        return intern(Kind.BROADCAST, List.of(scalar), shape, null, null);
    }

    /** {@code kind} applied to {@code args}; the shape follows from the arguments'. */
    public Node apply(Kind kind, Node... args) {
        List<Node> list = List.of(args);
        Shape shape = switch (kind.rule()) {
            case BROADCASTING -> {
                requireArity(kind, list, 2);
                yield wider(kind, args[0], args[1]);
            }
            case SAME -> {
                requireArity(kind, list, 1);
                yield args[0].shape();
            }
            case SCALAR -> {
                requireArity(kind, list, 1);
                yield Shape.SCALAR;
            }
            case PRODUCT -> {
                requireArity(kind, list, 2);
                yield matmul(args[0], args[1]);
            }
            case TRANSPOSED -> {
                requireArity(kind, list, 1);
                require(args[0].shape().rank() == 2, "transpose of a non-matrix", args[0]);
                yield Shape.of(args[0].shape().dim(1), args[0].shape().dim(0));
            }
            case OUTER -> {
                requireArity(kind, list, 2);
                require(args[0].shape().rank() == 1 && args[1].shape().rank() == 1, "outer of non-vectors", args[0]);
                yield Shape.of(args[0].shape().dim(0), args[1].shape().dim(0));
            }
            case NONE -> throw new IllegalArgumentException(kind + " is not made by apply");
        };
        return intern(kind, list, shape, null, null);
    }

    /** {@code n}'s operation applied to new arguments: a function stays that function, a broadcast that shape. */
    public Node with(Node n, Node... args) {
        return switch (n.kind()) {
            case FN -> args.length == 1 ? apply(n.fn(), args[0]) : apply(n.fn(), args[0], args[1]);
            case BROADCAST -> broadcast(args[0], n.shape());
            case CONST, INPUT, TARGET, PARAM, MASK -> n;
            case ADD, SUB, MUL, DIV, POW, MAX, MIN, NEG, GE, SUM, MATMUL, TRANSPOSE, OUTER, SOFTMAX, LOGSUMEXP -> apply(n.kind(), args);
        };
    }

    /** {@code f(x)}: of x's shape. */
    public Node apply(Fn f, Node x) {
        require(f.param() == null, f.symbol() + " without its parameter", x);
        return intern(Kind.FN, f, List.of(x), x.shape(), null, null);
    }

    /** {@code f(x, a)} with a scalar parameter {@code a}: of x's shape. */
    public Node apply(Fn f, Node x, Node a) {
        require(f.param() != null, f.symbol() + " has no parameter", x);
        require(a.shape().isScalar(), f.symbol() + "'s parameter of shape " + a.shape(), a);
        return intern(Kind.FN, f, List.of(x, a), x.shape(), null, null);
    }

    /** Records where a node comes from in the source, unless it has a place already. Returns the node. */
    public Node at(Node n, Pos pos) {
        if (pos != null) {
            positions.putIfAbsent(n, pos);
        }
        return n;
    }

    /** Where a node comes from in the source, or null. */
    public Pos pos(Node n) {
        return positions.get(n);
    }

    private static Shape wider(Kind kind, Node a, Node b) {
        Shape x = a.shape();
        Shape y = b.shape();
        require(x.equals(y) || x.isScalar() || y.isScalar(), kind + " of shapes " + x + " and " + y, a);
        return x.isScalar() ? y : x;
    }

    private static Shape matmul(Node a, Node b) {
        Shape x = a.shape();
        Shape y = b.shape();
        require(x.rank() >= 1 && y.rank() >= 1 && x.dim(x.rank() - 1) == y.dim(0),
                "matmul of shapes " + x + " and " + y, a);
        List<Integer> dims = new ArrayList<>(x.dims().subList(0, x.rank() - 1));
        dims.addAll(y.dims().subList(1, y.rank()));
        return new Shape(dims);
    }

    private static void requireArity(Kind kind, List<Node> args, int n) {
        if (args.size() != n) {
            throw new IllegalArgumentException(kind + " takes " + n + " arguments, given " + args);
        }
    }

    private static void require(boolean ok, String what, Node node) {
        if (!ok) {
            throw new IllegalArgumentException("graph invariant broken: " + what + " at " + node);
        }
    }
}
