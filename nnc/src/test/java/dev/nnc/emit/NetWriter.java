package dev.nnc.emit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Random feed-forward networks written as {@code .nn} source, for the tests that run generated
 * trainers: 1 to 3 dense layers of 1 to 6 units, each either {@code dense(...)} sugar or explicit
 * {@code param W} with {@code @} in one of its four orientations ({@code W @ a}, {@code a @ W},
 * {@code W' @ a}, {@code a @ W'}), activations among tanh, sigmoid, relu, softplus, leaky_relu (through
 * a def) and swish (a def), sometimes a scalar parameter, one of five losses, 1 to 5 samples of
 * inline data. Everything the model needs (parameters as initializers, data as literals, the seed)
 * is in its source, so a failure message that prints it is a complete reproducer.
 */
final class NetWriter {

    static final List<String> ACTIVATIONS = List.of("tanh", "sigmoid", "relu", "softplus", "lrelu", "swish", "gelu", "silu", "elu");

    static final List<String> LOSSES = List.of("mse", "mae", "bce_logits", "cross_entropy", "bce");

    private final Random random;

    /** The largest number of samples the data block gets (at least one). */
    private final int maxSamples;

    NetWriter(Random random, int maxSamples) {
        this.random = random;
        this.maxSamples = maxSamples;
    }

    /** A model named {@code name} computing in {@code dtype}; {@code optimizer} and {@code extraTrain} go into its train block. */
    String model(String name, String dtype, String optimizer, String extraTrain) {
        StringBuilder defs = new StringBuilder();
        StringBuilder body = new StringBuilder();
        String loss = LOSSES.get(random.nextInt(LOSSES.size()));
        int inputs = 1 + random.nextInt(6);
        int layers = 1 + random.nextInt(3);
        int classes = loss.equals("cross_entropy") ? 2 + random.nextInt(5) : 1 + random.nextInt(6);
        body.append("    input  x[").append(inputs).append("]\n");
        body.append("    target y[").append(classes).append("]").append(loss.equals("cross_entropy") ? " onehot" : "").append("\n");
        boolean usesLrelu = false;
        boolean usesSwish = false;
        boolean scalarParam = random.nextInt(3) == 0;
        if (scalarParam) {
            body.append("    param  s = ").append(number(0.5 + random.nextDouble())).append("\n");
        }
        String a = "x";
        int n = inputs;
        List<String> weights = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            boolean last = l == layers;
            int units = last ? classes : 1 + random.nextInt(6);
            String act = last ? (loss.equals("mse") || loss.equals("mae")) && random.nextBoolean() ? activation() : null : activation();
            usesLrelu |= "lrelu".equals(act);
            usesSwish |= "swish".equals(act);
            String h = last ? "out" : "h" + l;
            if (random.nextBoolean()) {
                body.append("    ").append(h).append(" = dense(").append(a).append(", ").append(units)
                        .append(act == null ? "" : ", " + act).append(")\n");
                weights.add(h + ".W");
            } else {
                String w = "W" + l;
                String b = "b" + l;
                int orientation = random.nextInt(4);
                // W @ a and W' @ a read W as [units, n]; a @ W and a @ W' as [n, units]
                boolean outFirst = orientation == 0 || orientation == 3;
                body.append("    param  ").append(w).append("[").append(outFirst ? units : n).append(", ")
                        .append(outFirst ? n : units).append("]").append(init()).append("\n");
                String product = switch (orientation) {
                    case 0 -> w + " @ " + a;
                    case 1 -> a + " @ " + w;
                    case 2 -> w + "' @ " + a;
                    default -> a + " @ " + w + "'";
                };
                if (scalarParam && random.nextInt(3) == 0) {
                    product = "s * (" + product + ")";
                }
                String bias;
                if (random.nextInt(4) == 0) {
                    body.append("    param  ").append(b).append(" = ").append(number(random.nextDouble() - 0.5)).append("\n");
                    bias = b;
                } else {
                    body.append("    param  ").append(b).append("[").append(units).append("]").append(biasInit(units)).append("\n");
                    bias = b;
                }
                String z = product + " + " + bias;
                body.append("    ").append(h).append(" = ").append(act == null ? z : act + "(" + z + ")").append("\n");
                weights.add(w);
            }
            a = h;
            n = units;
        }
        String lossExpr = switch (loss) {
            case "mse" -> "mse(out, y)";
            case "mae" -> "mae(out, y)";
            case "bce_logits" -> "bce_logits(out, y)";
            case "cross_entropy" -> "cross_entropy(out, y)";
            default -> "bce(p, y)";
        };
        if (loss.equals("bce")) {
            body.append("    p = sigmoid(out)\n");
        }
        if (scalarParam) {
            lossExpr += " + 0.01 * s^2";
        }
        if (random.nextInt(4) == 0) {
            lossExpr += " + 0.001 * sum(" + weights.get(random.nextInt(weights.size())) + "^2)";
        }
        body.append("    loss = ").append(lossExpr).append("\n");
        body.append("    output ").append(loss.equals("bce") ? "p" : "out").append("\n");
        body.append(data(inputs, classes, loss));
        body.append("    train {\n        dtype = ").append(dtype).append("\n        seed = ").append(random.nextInt(1000)).append("\n");
        if (optimizer != null) {
            body.append("        optimizer = ").append(optimizer).append("\n");
        }
        if (extraTrain != null) {
            body.append(extraTrain);
        }
        body.append("    }\n");
        if (usesLrelu) {
            defs.append("def lrelu(z) = leaky_relu(z, 0.1)\n");
        }
        if (usesSwish) {
            defs.append("def swish(z) = z * sigmoid(z)\n");
        }
        return defs + "model " + name + " {\n" + body + "}\n";
    }

    private String activation() {
        return ACTIVATIONS.get(random.nextInt(ACTIVATIONS.size()));
    }

    private String init() {
        return switch (random.nextInt(5)) {
            case 0 -> " ~ normal(0, 0.5)";
            case 1 -> " ~ uniform(-0.8, 0.8)";
            case 2 -> " ~ he";
            case 3 -> " = " + number(random.nextDouble() - 0.5);
            default -> ""; // xavier by default
        };
    }

    private String biasInit(int units) {
        switch (random.nextInt(3)) {
            case 0:
                return "";
            case 1:
                return " ~ uniform(-0.5, 0.5)";
            default:
                List<String> values = new ArrayList<>();
                for (int i = 0; i < units; i++) {
                    values.add(number(random.nextDouble() - 0.5));
                }
                return " = [" + String.join(", ", values) + "]";
        }
    }

    private String data(int inputs, int classes, String loss) {
        int samples = 1 + random.nextInt(maxSamples);
        List<String> xs = new ArrayList<>();
        List<String> ys = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < inputs; i++) {
                row.add(number(4 * random.nextDouble() - 2));
            }
            xs.add("[" + String.join(", ", row) + "]");
            if (loss.equals("cross_entropy")) {
                ys.add(Integer.toString(random.nextInt(classes)));
                continue;
            }
            List<String> target = new ArrayList<>();
            for (int i = 0; i < classes; i++) {
                target.add(switch (loss) {
                    case "mse", "mae" -> number(2 * random.nextDouble() - 1);
                    default -> random.nextBoolean() ? Integer.toString(random.nextInt(2)) : number(random.nextDouble());
                });
            }
            ys.add("[" + String.join(", ", target) + "]");
        }
        return "    data {\n        x = [" + String.join(", ", xs) + "]\n        y = [" + String.join(", ", ys) + "]\n    }\n";
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
