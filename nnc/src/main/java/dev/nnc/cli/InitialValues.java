package dev.nnc.cli;

import dev.nnc.autodiff.Derivation;
import dev.nnc.check.CheckedModel;
import dev.nnc.diag.CompileError;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Pos;
import dev.nnc.diag.SourceFile;
import dev.nnc.eval.ParamInit;
import dev.nnc.eval.Reference;
import dev.nnc.graph.ForwardGraph;
import dev.nnc.graph.Graph;
import dev.nnc.graph.Node;
import dev.nnc.syntax.Model;
import dev.nnc.syntax.Parser;
import dev.nnc.syntax.Program;
import dev.nnc.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code grad} and {@code trace} evaluate: the simplified gradients at the initial parameters
 * (drawn from the model's seed), on the model's inline data as one batch, in f64. A value that turns
 * non-finite becomes a diagnostic at the source of the failing operation.
 */
final class InitialValues {

    private InitialValues() {}

    /** Whether there is something to evaluate on: a data block, or no inputs and targets at all. */
    static boolean available(CheckedModel model) {
        return model.data() != null || (model.inputs().isEmpty() && model.targets().isEmpty());
    }

    static Map<String, Tensor> params(CheckedModel model) {
        return ParamInit.initialize(model, model.train().seed());
    }

    /** The batch through the reference evaluator; {@link #available} must hold. */
    static Reference.Result run(CheckedModel model, Derivation derivation) {
        if (!available(model)) {
            throw noData(model, "evaluate the gradients");
        }
        return run(model, derivation, Reference.samples(model, model.data()));
    }

    /** {@code samples} through the reference evaluator, at the initial parameters. */
    static Reference.Result run(CheckedModel model, Derivation derivation, List<Map<String, double[]>> samples) {
        try {
            return Reference.run(derivation.simplified(), params(model), samples);
        } catch (Reference.SampleFailure e) {
            throw nonFinite(model, derivation, e);
        }
    }

    /** {@code expected a data block to <purpose>, found none}, at the model's name. */
    static CompileError noData(CheckedModel model, String purpose) {
        return CompileError.at(model.source(), modelPos(model),
                "expected a data block to " + purpose + ", found none");
    }

    /**
     * The evaluator's reason, at the failing operation. A failure inside a derivative points at the
     * forward operation it differentiates, so the message says it happened in the gradient.
     */
    private static CompileError nonFinite(CheckedModel model, Derivation derivation, Reference.SampleFailure e) {
        String message = e.getMessage();
        String suffix = " in sample " + e.sample();
        if (message.endsWith(suffix)) {
            message = message.substring(0, message.length() - suffix.length());
        }
        if (!isForward(derivation.forward(), e.node())) {
            message += " in the gradient";
        }
        if (model.data() != null) {
            message += suffix;
        }
        return CompileError.at(model.source(), placeOf(derivation.forward().graph(), e.node(), model), message);
    }

    /** Whether the forward pass computes the node (the loss or a named value depends on it). */
    private static boolean isForward(ForwardGraph fwd, Node node) {
        List<Node> stack = new ArrayList<>(fwd.bindings().values());
        stack.add(fwd.loss());
        Set<Node> seen = new HashSet<>();
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (n == node) {
                return true;
            }
            if (seen.add(n)) {
                stack.addAll(n.args());
            }
        }
        return false;
    }

    /**
     * Where a node comes from. A node the simplifier made has no place, so the nearest operation below
     * it with one stands for it (breadth-first, so the closest wins); a leaf only when there is none,
     * since a constant shared by hash-consing may come from anywhere in the model.
     */
    private static Pos placeOf(Graph graph, Node node, CheckedModel model) {
        List<Node> level = List.of(node);
        Set<Node> seen = new HashSet<>();
        Pos leaf = null;
        while (!level.isEmpty()) {
            List<Node> next = new ArrayList<>();
            for (Node n : level) {
                Pos p = graph.pos(n);
                if (p != null && !n.kind().isLeaf()) {
                    return p;
                }
                if (p != null && leaf == null) {
                    leaf = p;
                }
                for (Node a : n.args()) {
                    if (seen.add(a)) {
                        next.add(a);
                    }
                }
            }
            level = next;
        }
        return leaf != null ? leaf : modelPos(model);
    }

    /** The model's name in the source: the checked model does not keep it, the syntax tree does. */
    private static Pos modelPos(CheckedModel model) {
        SourceFile source = model.source();
        Program program = Parser.parse(source, new Diagnostics(source));
        for (Model m : program.models()) {
            if (m.name().equals(model.name())) {
                return m.pos();
            }
        }
        return Pos.START;
    }
}
