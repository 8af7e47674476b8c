package dev.nnc.lower;

import dev.nnc.autodiff.Derivation;
import dev.nnc.check.CheckedModel;
import dev.nnc.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything an inference-only class needs, decided here: the model's prediction program (one
 * sample's forward pass, no targets, no gradients), and each parameter that pass reads with its
 * trained value and the form the value is written in. {@code PredictorEmitter} only prints it.
 *
 * <pre>
 *   xor, {"h.W": [[...]], "h.b": [...], ...}  -&gt;  predict: h = tanh(h.W @ x + h.b); p2 = sigmoid(out.W @ h + out.b)
 *                                                 h.W [8, 2] LITERAL, h.b [8] LITERAL, out.W [1, 8] LITERAL, out.b [1] LITERAL
 * </pre>
 *
 * @param inputs  the model's inputs, in declaration order (a prediction takes them flattened in that order)
 * @param output  the name the model's {@code output} gives
 * @param weights the parameters the prediction reads, in the model's order
 */
public record PredictorProgram(String model, List<CheckedModel.Variable> inputs, String output, LoopProgram predict,
        List<Weight> weights) {

    /**
     * How a parameter's values are written into the class. Literals are readable, but javac compiles
     * them into the class initializer, one store of a few bytes per value, and that method may hold
     * 64 KB of code; large parameters are written as text instead and decoded when the class loads.
     */
    public enum Form {
        /** An array initializer of the values. */
        LITERAL,
        /** The values' IEEE 754 bits, little-endian, in Base64. */
        BASE64
    }

    /**
     * A parameter of the prediction and its trained value.
     *
     * @param name  its name in the {@code .nn} file and the weights file ({@code h.W})
     * @param param its variable in the prediction program ({@code h_W})
     */
    public record Weight(String name, Var param, Tensor value, Form form) {}

    /** The most values a parameter written as literals may have. */
    static final int LITERAL_MAX = 1024;
    /** The most values all the literal parameters of a class may have together (about 30 KB of the initializer's 64 KB). */
    static final int LITERAL_BUDGET = 4096;

    public PredictorProgram {
        inputs = List.copyOf(inputs);
        weights = List.copyOf(weights);
    }

    /**
     * The predictor of a derived model with the parameter values {@code values} (by {@code .nn} name;
     * shapes as the model declares them, checked by whoever read them). A parameter is written as
     * literals while it has at most {@value #LITERAL_MAX} values and the literals so far stay within
     * {@value #LITERAL_BUDGET}, in the model's order; the others in Base64.
     *
     * @throws IllegalArgumentException when the model declares no output (there is nothing to predict)
     */
    public static PredictorProgram of(Derivation d, Map<String, Tensor> values) {
        CheckedModel model = d.forward().model();
        if (model.output() == null) {
            throw new IllegalArgumentException("model " + model.name() + " declares no output, so it has nothing to predict");
        }
        LoopProgram predict = Lowering.lower(d, Lowering.Purpose.PREDICT);
        List<Weight> weights = new ArrayList<>();
        int literals = 0;
        for (int k = 0; k < model.params().size(); k++) {
            CheckedModel.Param p = model.params().get(k);
            Var v = predict.params().get(k);
            if (!EpilogueFusion.isUsed(v, predict.steps())) {
                continue; // read by the loss alone
            }
            Tensor value = values.get(p.name());
            if (value == null || !value.shape().equals(p.shape())) {
                throw new IllegalStateException("no value of shape " + p.shape() + " for parameter " + p.name() + ": " + value);
            }
            boolean literal = value.size() <= LITERAL_MAX && literals + value.size() <= LITERAL_BUDGET;
            literals += literal ? value.size() : 0;
            weights.add(new Weight(p.name(), v, value, literal ? Form.LITERAL : Form.BASE64));
        }
        return new PredictorProgram(model.name(), model.inputs(), model.output(), predict, weights);
    }
}
