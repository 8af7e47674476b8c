package dev.nnc.eval;

import dev.nnc.autodiff.Gradients;
import dev.nnc.check.CheckedModel;
import dev.nnc.graph.ForwardGraph;
import dev.nnc.graph.Node;
import dev.nnc.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mini-batch through the reference evaluator: per sample, every named value and every adjoint;
 * over the batch, the mean loss and the mean gradients (language.md section 3).
 */
public final class Reference {

    private Reference() {}

    /** One sample's worked example: named values forward, adjoints dloss/dname backward. */
    public record SampleTrace(double loss, Map<String, Tensor> forward, Map<String, Tensor> backward) {}

    public record Result(double loss, Map<String, Tensor> gradients, List<SampleTrace> samples) {}

    /** The samples of {@code data} (or the one empty sample of a model without inputs and targets). */
    public static List<Map<String, double[]>> samples(CheckedModel model, CheckedModel.InlineData data) {
        List<Map<String, double[]>> samples = new ArrayList<>();
        int n = data == null ? 1 : data.samples();
        for (int s = 0; s < n; s++) {
            Map<String, double[]> leaves = new LinkedHashMap<>();
            List<CheckedModel.Variable> vars = new ArrayList<>(model.inputs());
            vars.addAll(model.targets());
            for (CheckedModel.Variable v : vars) {
                double[] row = data.rows(v.name())[s];
                if (v.onehot()) {
                    double[] hot = new double[v.shape().dim(0)];
                    hot[(int) row[0]] = 1;
                    row = hot;
                }
                leaves.put(v.name(), row);
            }
            samples.add(leaves);
        }
        return samples;
    }

    /**
     * Evaluates {@code grads} at {@code params} over {@code samples}. Throws
     * {@link SampleFailure} naming the sample when a value becomes non-finite.
     */
    public static Result run(Gradients grads, Map<String, Tensor> params, List<Map<String, double[]>> samples) {
        ForwardGraph fwd = grads.forward();
        List<Node> roots = new ArrayList<>();
        roots.add(fwd.loss());
        roots.addAll(fwd.bindings().values());
        roots.addAll(grads.params().values());
        for (Node b : fwd.bindings().values()) {
            if (grads.adjoint(b) != null) {
                roots.add(grads.adjoint(b));
            }
        }
        Map<String, double[]> sums = new LinkedHashMap<>();
        List<SampleTrace> traces = new ArrayList<>();
        double lossSum = 0;
        for (int s = 0; s < samples.size(); s++) {
            Map<String, double[]> leaves = new LinkedHashMap<>(samples.get(s));
            params.forEach((name, t) -> leaves.put(name, t.toArray()));
            Map<Node, double[]> values;
            try {
                values = Evaluator.evaluate(roots, leaves);
            } catch (Evaluator.NonFiniteValue e) {
                throw new SampleFailure(e, s + 1);
            }
            double loss = values.get(fwd.loss())[0];
            lossSum += loss;
            Map<String, Tensor> forward = new LinkedHashMap<>();
            Map<String, Tensor> backward = new LinkedHashMap<>();
            fwd.bindings().forEach((name, node) -> forward.put(name, new Tensor(node.shape(), values.get(node))));
            List<String> names = new ArrayList<>(fwd.bindings().keySet());
            for (int i = names.size() - 1; i >= 0; i--) {
                Node node = fwd.bindings().get(names.get(i));
                Node adj = grads.adjoint(node);
                backward.put(names.get(i), adj == null ? zeros(node) : new Tensor(node.shape(), values.get(adj)));
            }
            for (Map.Entry<String, Node> e : grads.params().entrySet()) {
                double[] v = values.get(e.getValue());
                backward.put(e.getKey(), new Tensor(e.getValue().shape(), v));
                double[] acc = sums.computeIfAbsent(e.getKey(), k -> new double[v.length]);
                for (int i = 0; i < v.length; i++) {
                    acc[i] += v[i];
                }
            }
            traces.add(new SampleTrace(loss, forward, backward));
        }
        Map<String, Tensor> gradients = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : grads.params().entrySet()) {
            double[] acc = sums.get(e.getKey());
            for (int i = 0; i < acc.length; i++) {
                acc[i] /= samples.size();
            }
            gradients.put(e.getKey(), new Tensor(e.getValue().shape(), acc));
        }
        return new Result(lossSum / samples.size(), gradients, traces);
    }

    private static Tensor zeros(Node n) {
        return new Tensor(n.shape(), new double[(int) n.shape().size()]);
    }

    /** A non-finite value in one sample (1-based). */
    public static final class SampleFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Evaluator.NonFiniteValue cause;
        private final int sample;

        SampleFailure(Evaluator.NonFiniteValue cause, int sample) {
            super(cause.getMessage() + " in sample " + sample, null, false, false);
            this.cause = cause;
            this.sample = sample;
        }

        public Node node() {
            return cause.node();
        }

        public int sample() {
            return sample;
        }
    }
}
