package dev.nnc.graph;

import dev.nnc.ops.Fn;
import dev.nnc.tensor.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * The operations of the expression graph, each with its facts side by side: its family (what the
 * lower stage fuses it with), its shape rule ({@link Rule}), its value in f64 ({@link Kernels} has the loops) and
 * its derivative rule. Composite language built-ins (losses, {@code mean}, {@code dot},
 * {@code log_softmax}) are expanded into these by {@link GraphBuilder}; the few that stay primitive
 * ({@code softmax}, {@code logsumexp}, the functions of {@link Fn}) are defined by their numerically
 * stable forms, which every back end implements.
 *
 * <p>A derivative rule gives, for {@code n = op(args)} and its adjoint {@code adj} (dloss/dn, of n's
 * shape), each argument's contribution to its own adjoint, or null where the argument gets none.
 * Forward values are reused ({@code exp' = n}); a contribution may still carry n's shape where an
 * argument is a broadcast scalar: reverse mode sums those.
 */
public enum Kind {
    // leaves
    CONST(Family.LEAF, Rule.NONE), INPUT(Family.LEAF, Rule.NONE), TARGET(Family.LEAF, Rule.NONE), PARAM(Family.LEAF, Rule.NONE),
    /**
     * The mask of one {@code dropout(h, p)}, named {@code mask1}, {@code mask2}, ...: per sample and step,
     * each element {@code 1 / (1 - p)} (kept) or 0 (dropped); all ones outside training. The model
     * multiplies h by it, so {@code d(h * mask) = mask dh} is MUL's rule. Its {@link Node#value()} is p.
     */
    MASK(Family.LEAF, Rule.NONE),

    // elementwise; either side of a binary one may be a scalar, broadcast to the other's shape
    ADD(Family.ELEMENTWISE, Rule.BROADCASTING) {
        @Override
        double scalar(double x, double y) {
            return x + y;
        }

        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.binary(this, in[0], in[1], (int) n.shape().size());
        }

        // d(x + y) = dx + dy
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            return List.of(adj, adj);
        }
    },
    SUB(Family.ELEMENTWISE, Rule.BROADCASTING) {
        @Override
        double scalar(double x, double y) {
            return x - y;
        }

        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.binary(this, in[0], in[1], (int) n.shape().size());
        }

        // d(x - y) = dx - dy
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            return List.of(adj, g.apply(NEG, adj));
        }
    },
    MUL(Family.ELEMENTWISE, Rule.BROADCASTING) {
        @Override
        double scalar(double x, double y) {
            return x * y;
        }

        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.binary(this, in[0], in[1], (int) n.shape().size());
        }

        // d(x y) = y dx + x dy
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            return List.of(g.apply(MUL, adj, n.arg(1)), g.apply(MUL, adj, n.arg(0)));
        }
    },
    DIV(Family.ELEMENTWISE, Rule.BROADCASTING) {
        @Override
        double scalar(double x, double y) {
            return x / y;
        }

        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.binary(this, in[0], in[1], (int) n.shape().size());
        }

        // d(x / y) = dx / y - (x / y) dy / y
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            Node y = n.arg(1);
            return List.of(g.apply(DIV, adj, y), g.apply(NEG, g.apply(DIV, g.apply(MUL, adj, n), y)));
        }
    },
    POW(Family.ELEMENTWISE, Rule.BROADCASTING) {
        @Override
        double scalar(double x, double y) {
            return Math.pow(x, y);
        }

        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.binary(this, in[0], in[1], (int) n.shape().size());
        }

        // d(x^k) = k x^(k - 1) dx + x^k log(x) dk
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            Node x = n.arg(0);
            Node k = n.arg(1);
            return Arrays.asList(g.apply(MUL, adj, g.apply(MUL, k, g.apply(POW, x, g.apply(SUB, k, g.scalar(1))))),
                    k.isConst() ? null : g.apply(MUL, adj, g.apply(MUL, n, g.apply(Fn.LOG, x))));
        }
    },
    MAX(Family.ELEMENTWISE, Rule.BROADCASTING) {
        @Override
        double scalar(double x, double y) {
            return x >= y || Double.isNaN(x) ? x : y;
        }

        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.binary(this, in[0], in[1], (int) n.shape().size());
        }

        // max passes the gradient to its first argument on a tie: [x >= y], [x < y]
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            return firstWins(g, adj, g.apply(GE, n.arg(0), n.arg(1)));
        }
    },
    MIN(Family.ELEMENTWISE, Rule.BROADCASTING) {
        @Override
        double scalar(double x, double y) {
            return x <= y || Double.isNaN(x) ? x : y;
        }

        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.binary(this, in[0], in[1], (int) n.shape().size());
        }

        // min likewise: [x <= y], [x > y]
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            return firstWins(g, adj, g.apply(GE, n.arg(1), n.arg(0)));
        }
    },
    NEG(Family.ELEMENTWISE, Rule.SAME) {
        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.negated(in[0]);
        }

        // d(-x) = -dx
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            return List.of(g.apply(NEG, adj));
        }
    },
    /** [a >= b], the derivative of max and min: piecewise constant, it passes nothing on. */
    GE(Family.ELEMENTWISE, Rule.BROADCASTING) {
        @Override
        double scalar(double x, double y) {
            return x >= y ? 1 : 0;
        }

        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.binary(this, in[0], in[1], (int) n.shape().size());
        }
    },
    /**
     * An elementwise function ({@link Fn}: exp, tanh, relu, relu', ...) of its first argument, with
     * the function's scalar parameter as the second where it has one; its rules are the function's
     * own facts: d f(x, a) = f_x dx + f_a da.
     */
    FN(Family.ELEMENTWISE, Rule.NONE) {
        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.function(n.fn(), in[0], in.length > 1 ? in[1][0] : Double.NaN);
        }

        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            Fn f = n.fn();
            Node x = n.arg(0);
            Node a = n.args().size() > 1 ? n.arg(1) : null;
            GraphAlgebra algebra = new GraphAlgebra(g);
            Node dx = f.dx(algebra, x, a, n);
            Node da = a == null || a.isConst() ? null : f.da(algebra, x, a, n);
            Node toX = dx == null ? null : g.apply(MUL, adj, dx);
            return a == null ? Arrays.asList(toX) : Arrays.asList(toX, da == null ? null : g.apply(MUL, adj, da));
        }
    },

    // tensor operations
    /** All elements to a scalar. */
    SUM(Family.REDUCTION, Rule.SCALAR) {
        @Override
        double[] value(Node n, double[][] in) {
            return new double[] {Kernels.sum(in[0])};
        }

        // d sum(x) = 1 for every element
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            return List.of(g.broadcast(adj, n.arg(0).shape()));
        }
    },
    /** A scalar to every element of a shape. */
    BROADCAST(Family.ELEMENTWISE, Rule.NONE) {
        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.filled(in[0][0], (int) n.shape().size());
        }

        // d broadcast(s) = the sum of the elements' adjoints
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            return List.of(g.apply(SUM, adj));
        }
    },
    /** The product of language.md: [m,n]@[n], [n]@[n,m], [m,n]@[n,k], [n]@[n]. */
    MATMUL(Family.KERNEL, Rule.PRODUCT) {
        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.matmul(n.arg(0).shape(), in[0], n.arg(1).shape(), in[1]);
        }

        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            Node a = n.arg(0);
            Node b = n.arg(1);
            int ra = a.shape().rank();
            int rb = b.shape().rank();
            if (ra == 2 && rb == 1) {
                // y = A x:  dA = g outer x,  dx = A' g
                return List.of(g.apply(OUTER, adj, b), g.apply(MATMUL, g.apply(TRANSPOSE, a), adj));
            } else if (ra == 1 && rb == 2) {
                // y = x B (x a row):  dx = B g,  dB = x outer g
                return List.of(g.apply(MATMUL, b, adj), g.apply(OUTER, a, adj));
            } else if (ra == 2) {
                // Y = A B:  dA = G B',  dB = A' G
                return List.of(g.apply(MATMUL, adj, g.apply(TRANSPOSE, b)), g.apply(MATMUL, g.apply(TRANSPOSE, a), adj));
            }
            // s = a . b:  da = g b,  db = g a
            return List.of(g.apply(MUL, adj, b), g.apply(MUL, adj, a));
        }
    },
    TRANSPOSE(Family.KERNEL, Rule.TRANSPOSED) {
        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.transpose(n.arg(0).shape(), in[0]);
        }

        // d(A') = (dA)'
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            return List.of(g.apply(TRANSPOSE, adj));
        }
    },
    /** [m] outer [n] -> [m, n]. */
    OUTER(Family.KERNEL, Rule.OUTER) {
        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.outer(in[0], in[1]);
        }

        // d(a outer b) = (G @ b) da + (a @ G) db
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            return List.of(g.apply(MATMUL, adj, n.arg(1)), g.apply(MATMUL, n.arg(0), adj));
        }
    },
    /** exp(x - lse(x)) over all elements. */
    SOFTMAX(Family.KERNEL, Rule.SAME) {
        @Override
        double[] value(Node n, double[][] in) {
            return Kernels.softmax(in[0]);
        }

        // softmax'(x)' g = s (g - sum(s g))
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            return List.of(g.apply(MUL, n, g.apply(SUB, adj, g.apply(SUM, g.apply(MUL, n, adj)))));
        }
    },
    /** max(x) + log(sum(exp(x - max(x)))) over all elements. */
    LOGSUMEXP(Family.REDUCTION, Rule.SCALAR) {
        @Override
        double[] value(Node n, double[][] in) {
            return new double[] {Kernels.logsumexp(in[0])};
        }

        // logsumexp'(x) = softmax(x)
        @Override
        List<Node> derivative(Graph g, Node n, Node adj) {
            return List.of(g.apply(MUL, adj, g.apply(SOFTMAX, n.arg(0))));
        }
    };

    /**
     * How an operation's loops look: what the lower stage fuses it with. Elementwise operations join
     * the chain of their user's loop; reductions and kernels get loops (or library calls) of their own.
     */
    public enum Family {
        /** A named input, target, parameter or a constant: no loop. */
        LEAF,
        /** Element i of the result from element i of the arguments (a scalar argument broadcast). */
        ELEMENTWISE,
        /** Every element to one scalar. */
        REDUCTION,
        /** Elements that depend on many of the arguments' (products, transposes, softmax). */
        KERNEL
    }

    /** How an operation's shape follows from its arguments' (checked by {@link Graph#apply}). */
    public enum Rule {
        /** Two arguments of one shape, or one a scalar: the wider. */
        BROADCASTING,
        /** One argument: its shape. */
        SAME,
        /** One argument: a scalar. */
        SCALAR,
        /** The four products of language.md: [m,n]@[n], [n]@[n,m], [m,n]@[n,k], [n]@[n]. */
        PRODUCT,
        /** A matrix: its dimensions swapped. */
        TRANSPOSED,
        /** Two vectors [m], [n]: [m, n]. */
        OUTER,
        /** Not made by {@code Graph.apply}: leaves, broadcasts and functions have factories of their own. */
        NONE
    }

    private final Family family;
    private final Rule rule;

    Kind(Family family, Rule rule) {
        this.family = family;
        this.rule = rule;
    }

    public Family family() {
        return family;
    }

    public Rule rule() {
        return rule;
    }

    public boolean isLeaf() {
        return family == Family.LEAF;
    }

    public boolean isElementwise() {
        return family == Family.ELEMENTWISE;
    }

    /** Commutative binary operations: their operands may be put in a canonical order. */
    public boolean isCommutative() {
        return this == ADD || this == MUL;
    }

    /**
     * The derivative rule: each argument's contribution to its adjoint for {@code n} with adjoint
     * {@code adj}, built in {@code g}. Leaves and the piecewise-constant {@code GE} pass nothing on.
     */
    List<Node> derivative(Graph g, Node n, Node adj) {
        return List.of();
    }

    /** A binary elementwise operation's value at one pair of elements, in f64. */
    double scalar(double x, double y) {
        throw new IllegalArgumentException("not binary: " + this);
    }

    /** The value in f64 of {@code n}, of this operation, given its arguments' values in order (row-major). */
    double[] value(Node n, double[][] in) {
        throw new IllegalArgumentException("leaf " + n + " has no value to compute");
    }

    /** The derivative rule of {@code n}'s operation (see {@link #derivative}). */
    public static List<Node> contributions(Graph g, Node n, Node adj) {
        return n.kind().derivative(g, n, adj);
    }

    /** {@code [x >= y]} and {@code 1 - [x >= y]}: the first argument wins ties. */
    private static List<Node> firstWins(Graph g, Node adj, Node firstWins) {
        return Arrays.asList(g.apply(MUL, adj, firstWins), g.apply(MUL, adj, g.apply(SUB, g.scalar(1), firstWins)));
    }
}
