package dev.nnc.graph;

import dev.nnc.check.CheckedModel;
import dev.nnc.check.Op;
import dev.nnc.check.TExpr;
import dev.nnc.diag.Pos;
import dev.nnc.ops.Fn;
import dev.nnc.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph stage: a checked model to its forward {@link ForwardGraph}.
 *
 * <pre>
 *   loss = mse(out, y)     -&gt;   SUM(POW(SUB(out, y), 2)) / 1
 *   h = relu(x @ W + b)    -&gt;   RELU(ADD(MATMUL(x, W), b)), named h
 * </pre>
 *
 * Composite built-ins become primitive nodes here, in their numerically stable forms, so that every
 * later stage (derivatives, evaluator, generated code) inherits the same forms:
 * {@code log_softmax(z) = z - logsumexp(z)}, {@code bce_logits(z, y) = mean(softplus(z) - z y)},
 * {@code cross_entropy(z, y) = logsumexp(z) - sum(y z)} for a onehot {@code y} (whose sum is 1).
 */
public final class GraphBuilder {

    private final Graph graph = new Graph();
    private final CheckedModel model;
    private final Map<String, Node> named = new LinkedHashMap<>();
    /** Dropout masks made so far: the next is mask{masks + 1}. */
    private int masks;

    private GraphBuilder(CheckedModel model) {
        this.model = model;
    }

    public static ForwardGraph build(CheckedModel model) {
        return new GraphBuilder(model).run();
    }

    private ForwardGraph run() {
        List<Node> inputs = new ArrayList<>();
        List<Node> targets = new ArrayList<>();
        List<Node> params = new ArrayList<>();
        for (CheckedModel.Variable v : model.inputs()) {
            inputs.add(leaf(Kind.INPUT, v.name(), v.shape(), v.pos()));
        }
        for (CheckedModel.Variable v : model.targets()) {
            targets.add(leaf(Kind.TARGET, v.name(), v.shape(), v.pos()));
        }
        for (CheckedModel.Param p : model.params()) {
            params.add(leaf(Kind.PARAM, p.name(), p.shape(), p.pos()));
        }
        Map<String, Node> bindings = new LinkedHashMap<>();
        for (CheckedModel.Binding b : model.bindings()) {
            Node n = graph.at(build(b.value()), b.pos());
            bindings.put(b.name(), n);
            named.put(b.name(), n);
        }
        Node loss = build(model.loss());
        Node output = model.output() == null ? null : named.get(model.output());
        return new ForwardGraph(model, graph, inputs, targets, params, bindings, loss, output);
    }

    private Node leaf(Kind kind, String name, Shape shape, Pos pos) {
        Node n = graph.at(graph.leaf(kind, name, shape), pos);
        named.put(name, n);
        return n;
    }

    private Node build(TExpr e) {
        if (e instanceof TExpr.Constant c) {
            return graph.at(graph.constant(c.value()), c.pos());
        } else if (e instanceof TExpr.Ref r) {
            Node n = named.get(r.name());
            if (n == null) {
                throw new IllegalStateException("graph builder: no node for name " + r.name() + " at " + r.pos());
            }
            return n;
        }
        if (e instanceof TExpr.Call c) {
            Node x = build(c.args().get(0));
            Node n = c.fn().param() == null ? graph.apply(c.fn(), x) : graph.apply(c.fn(), x, build(c.args().get(1)));
            return graph.at(n, c.pos());
        }
        TExpr.Apply a = (TExpr.Apply) e;
        List<Node> args = new ArrayList<>();
        for (TExpr arg : a.args()) {
            args.add(build(arg));
        }
        return graph.at(apply(a.op(), args, a.args()), a.pos());
    }

    private Node apply(Op op, List<Node> args, List<TExpr> written) {
        Node x = args.get(0);
        Node y = args.size() > 1 ? args.get(1) : null;
        return switch (op) {
            case ADD -> graph.apply(Kind.ADD, x, y);
            case SUB -> graph.apply(Kind.SUB, x, y);
            case MUL -> graph.apply(Kind.MUL, x, y);
            case DIV -> graph.apply(Kind.DIV, x, y);
            case POW -> graph.apply(Kind.POW, x, y);
            case NEG -> graph.apply(Kind.NEG, x);
            case MATMUL -> graph.apply(Kind.MATMUL, x, y);
            case TRANSPOSE -> graph.apply(Kind.TRANSPOSE, x);
            case MAX -> graph.apply(Kind.MAX, x, y);
            case MIN -> graph.apply(Kind.MIN, x, y);
            case SUM -> sum(x);
            case MEAN -> mean(x);
            case DOT -> sum(graph.apply(Kind.MUL, x, y));
            case SOFTMAX -> graph.apply(Kind.SOFTMAX, x);
            case LOG_SOFTMAX -> logSoftmax(x);
            case LOGSUMEXP -> graph.apply(Kind.LOGSUMEXP, x);
            // mse(p, y) = mean((p - y)^2)
            case MSE -> mean(graph.apply(Kind.POW, graph.apply(Kind.SUB, x, y), graph.scalar(2)));
            // mae(p, y) = mean(|p - y|)
            case MAE -> mean(graph.apply(Fn.ABS, graph.apply(Kind.SUB, x, y)));
            // bce(p, y) = -mean(y log p + (1 - y) log(1 - p))
            case BCE -> graph.apply(Kind.NEG, mean(graph.apply(Kind.ADD,
                    graph.apply(Kind.MUL, y, graph.apply(Fn.LOG, x)),
                    graph.apply(Kind.MUL, graph.apply(Kind.SUB, graph.scalar(1), y),
                            graph.apply(Fn.LOG, graph.apply(Kind.SUB, graph.scalar(1), x))))));
            // bce_logits(z, y) = mean(softplus(z) - z y): -y log s(z) - (1 - y) log(1 - s(z)), stable
            case BCE_LOGITS -> mean(graph.apply(Kind.SUB, graph.apply(Fn.SOFTPLUS, x), graph.apply(Kind.MUL, x, y)));
            case CROSS_ENTROPY -> crossEntropy(x, y, written.get(1));
            case DROPOUT -> dropout(x, y.scalar());
        };
    }

    /**
     * dropout(h, p) = h * mask, with a mask leaf of h's shape ({@link Kind#MASK}) that training fills
     * afresh for every sample; dropout(h, 0) is h itself.
     */
    private Node dropout(Node h, double p) {
        if (p == 0) {
            return h;
        }
        String name;
        do {
            name = "mask" + (++masks);
        } while (taken(name));
        Node mask = graph.mask(name, h.shape(), p);
        named.put(name, mask);
        return graph.apply(Kind.MUL, h, mask);
    }

    /** Whether the model names something {@code name} (a mask must not look like one of its values). */
    private boolean taken(String name) {
        return named.containsKey(name) || model.bindings().stream().anyMatch(b -> b.name().equals(name))
                || model.params().stream().anyMatch(p -> p.name().equals(name));
    }

    private Node sum(Node x) {
        return x.shape().isScalar() ? x : graph.apply(Kind.SUM, x);
    }

    /** mean(x) = sum(x) / n. */
    private Node mean(Node x) {
        if (x.shape().isScalar()) {
            return x;
        }
        return graph.apply(Kind.DIV, sum(x), graph.scalar(x.shape().size()));
    }

    /** log_softmax(z) = z - logsumexp(z). */
    private Node logSoftmax(Node z) {
        return graph.apply(Kind.SUB, z, graph.apply(Kind.LOGSUMEXP, z));
    }

    /**
     * cross_entropy(z, y) = -sum(y log_softmax(z)) = sum(y) logsumexp(z) - sum(y z); for a onehot
     * target sum(y) = 1 exactly, and the derivative is the familiar softmax(z) - y.
     */
    private Node crossEntropy(Node z, Node y, TExpr target) {
        boolean onehot = target instanceof TExpr.Ref r && r.kind() == TExpr.RefKind.TARGET
                && model.targets().stream().anyMatch(t -> t.name().equals(r.name()) && t.onehot());
        if (onehot) {
            return graph.apply(Kind.SUB, graph.apply(Kind.LOGSUMEXP, z), sum(graph.apply(Kind.MUL, y, z)));
        }
        return graph.apply(Kind.NEG, sum(graph.apply(Kind.MUL, y, logSoftmax(z))));
    }
}
