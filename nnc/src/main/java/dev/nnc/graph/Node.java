package dev.nnc.graph;

import dev.nnc.ops.Fn;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import java.util.List;

/**
 * One node of the expression graph. Nodes are made only by a {@link Graph}, which hash-conses them:
 * two structurally equal nodes are the same object, so identity comparison is structural equality.
 * {@code id} is the creation index: arguments always have smaller ids, so id order is topological.
 */
public final class Node {

    private final int id;
    private final Kind kind;
    private final List<Node> args;
    private final Shape shape;
    private final Tensor value;
    private final String name;
    private final Fn fn;

    Node(int id, Kind kind, Fn fn, List<Node> args, Shape shape, Tensor value, String name) {
        this.id = id;
        this.kind = kind;
        this.fn = fn;
        this.args = List.copyOf(args);
        this.shape = shape;
        this.value = value;
        this.name = name;
    }

    public int id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    /** The function of a {@link Kind#FN}, else null. */
    public Fn fn() {
        return fn;
    }

    /** Whether this is {@code f} applied to its arguments. */
    public boolean is(Fn f) {
        return fn == f;
    }

    public List<Node> args() {
        return args;
    }

    public Node arg(int i) {
        return args.get(i);
    }

    public Shape shape() {
        return shape;
    }

    /** The value of a {@link Kind#CONST}; a {@link Kind#MASK}'s dropout rate p, as a scalar; else null. */
    public Tensor value() {
        return value;
    }

    /** The name of an input, target, parameter or dropout mask, else null. */
    public String name() {
        return name;
    }

    public boolean isConst() {
        return kind == Kind.CONST;
    }

    /** True for a constant whose every element is {@code v}. */
    public boolean isConst(double v) {
        if (kind != Kind.CONST) {
            return false;
        }
        for (int i = 0; i < value.size(); i++) {
            if (value.get(i) != v) {
                return false;
            }
        }
        return true;
    }

    /** The single value of a constant scalar, or NaN. */
    public double scalar() {
        return kind == Kind.CONST && value.size() == 1 ? value.get(0) : Double.NaN;
    }

    @Override
    public String toString() {
        return "t" + id + ":" + (fn != null ? fn.symbol() : kind) + (name != null ? " " + name : "") + (value != null ? " " + value : "")
                + " " + shape + (args.isEmpty() ? "" : " " + args.stream().map(a -> "t" + a.id()).toList());
    }
}
