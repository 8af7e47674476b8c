package dev.nnc;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code .nn} model written from the fuzzer's bytes, for {@link WholeChainFuzzTest}: every choice
 * (inputs, target and loss, layers, the expressions of named values by their shapes, definitions,
 * constants, the optimizer) is read from a {@link FuzzedDataProvider}, so that the fuzzer's mutations
 * move through models that pass {@code check}. Sizes stay between 1 and {@link #MAX_SIZE}, expressions
 * a few levels deep, so that a model costs milliseconds to derive and check.
 *
 * <p>The text holds the structure only (no data block unless {@link Written#inline()}): the values of
 * the samples and the seed of the parameters are read after it, so that mutations of those bytes give
 * the same text, whose compiled trainer the test reuses.
 */
final class FuzzedModelWriter {

    static final int MAX_SIZE = 4;
    static final int MAX_DEPTH = 3;

    static final String[] FUNCTIONS = {
        "tanh", "sigmoid", "relu", "softplus", "exp", "abs", "sin", "cos", "gelu", "silu", "elu", "leaky_relu"
    };
    static final String[] NUMBERS = {"0.5", "2", "0.1", "1.5", "3", "0.25", "1e-3", "0.7", "1", "0"};
    /** Initializers of any parameter; a matrix may also have the last two, which need fan-in and fan-out. */
    static final String[] INITS = {"", " ~ normal(0, 0.8)", " ~ uniform(-1, 1)", " = 0.3", " ~ normal(0.5, 0.2)", " ~ he", " ~ xavier"};
    static final String[] OPTIMIZERS = {
        "sgd(lr = 0.1)", "sgd(lr = 0.05, momentum = 0.9, nesterov = true, weight_decay = 0.01)", "adam(lr = 0.01)",
        "adam(lr = 0.01, weight_decay = 0.1)", "adamw(lr = 0.01)", "rmsprop(lr = 0.01, momentum = 0.5)"
    };

    /** A loss and the target it needs. */
    enum Loss { NONE, MSE, MAE, BCE, BCE_LOGITS, CROSS_ENTROPY }

    /** An input or target: its name, size (0 for a scalar) and whether it is a onehot label. */
    record Variable(String name, int size, boolean onehot) {}

    /** The model's text, its variables in declaration order, whether the text holds the data. */
    record Written(String text, List<Variable> variables, boolean inline) {}

    private record Named(String name, int[] shape) {}

    private final FuzzedDataProvider in;
    private final StringBuilder defs = new StringBuilder();
    private final StringBuilder body = new StringBuilder();
    private final List<Named> names = new ArrayList<>();
    private final List<Variable> variables = new ArrayList<>();
    private int fresh;

    FuzzedModelWriter(FuzzedDataProvider in) {
        this.in = in;
    }

    /** Reads one model's structure from the bytes. */
    Written write() {
        int inputs = in.consumeInt(0, 2);
        for (int i = 1; i <= inputs; i++) {
            int size = in.consumeInt(0, MAX_SIZE);
            line("input  x" + i + shape(size == 0 ? new int[0] : new int[] {size}));
            named("x" + i, size == 0 ? new int[0] : new int[] {size});
            variables.add(new Variable("x" + i, size, false));
        }
        Loss loss = Loss.values()[in.consumeInt(0, Loss.values().length - 1)];
        int classes = loss == Loss.CROSS_ENTROPY ? in.consumeInt(2, MAX_SIZE) : in.consumeInt(1, MAX_SIZE);
        if (loss != Loss.NONE) {
            line("target y[" + classes + "]" + (loss == Loss.CROSS_ENTROPY ? " onehot" : ""));
            variables.add(new Variable("y", classes, loss == Loss.CROSS_ENTROPY));
        }
        int hidden = in.consumeInt(0, 3);
        for (int l = 1; l <= hidden; l++) {
            statement("h" + l);
        }
        String lossExpr;
        if (loss == Loss.NONE) {
            lossExpr = expr(new int[0], 0);
        } else {
            String out = in.consumeBoolean() && !names.isEmpty() ? dense("out", classes) : bind("out", new int[] {classes}, expr(new int[] {classes}, 0));
            lossExpr = switch (loss) {
                case MSE -> "mse(" + out + ", y)";
                case MAE -> "mae(" + out + ", y)";
                case BCE -> "bce(sigmoid(" + out + "), y)";
                case BCE_LOGITS -> "bce_logits(" + out + ", y)";
                default -> "cross_entropy(" + out + ", y)";
            };
            named("y", new int[] {classes});
            if (in.consumeBoolean()) {
                line("output " + out);
            }
        }
        if (in.consumeInt(0, 3) == 0) {
            lossExpr += " + " + pick(NUMBERS) + " * " + (in.consumeBoolean() ? "sum" : "mean") + "(" + expr(anyShape(), 1) + "^2)";
        }
        line("loss = " + lossExpr);
        boolean inline = in.consumeInt(0, 3) == 0;
        train();
        return new Written(defs + "model fuzz {\n" + body + (inline ? "" : "}\n"), List.copyOf(variables), inline);
    }

    /** The data block of an inline model (closing the model), from the values the test read. */
    static String dataBlock(List<Variable> variables, double[][][] rows) {
        StringBuilder b = new StringBuilder("    data {\n");
        for (int v = 0; v < variables.size(); v++) {
            List<String> samples = new ArrayList<>();
            for (double[] row : rows[v]) {
                if (variables.get(v).onehot()) {
                    samples.add(Integer.toString((int) row[0]));
                } else if (variables.get(v).size() == 0) {
                    samples.add(number(row[0]));
                } else {
                    List<String> xs = new ArrayList<>();
                    for (double x : row) {
                        xs.add(number(x));
                    }
                    samples.add("[" + String.join(", ", xs) + "]");
                }
            }
            b.append("        ").append(variables.get(v).name()).append(" = [").append(String.join(", ", samples)).append("]\n");
        }
        return b.append("    }\n}\n").toString();
    }

    static String number(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x).replace("E", "e");
    }

    private void train() {
        List<String> settings = new ArrayList<>(List.of("dtype = f64", "seed = 7"));
        if (in.consumeBoolean()) {
            settings.add("optimizer = " + pick(OPTIMIZERS));
        }
        if (in.consumeBoolean()) {
            settings.add("batch = " + in.consumeInt(1, 4));
        }
        line("train { " + String.join("; ", settings) + " }");
    }

    /** {@code name = ...}: a dense layer, a constant and an expression over it, or an expression of a chosen shape. */
    private void statement(String name) {
        switch (in.consumeInt(0, 3)) {
            case 0 -> {
                if (!names.isEmpty()) {
                    dense(name, in.consumeInt(1, MAX_SIZE));
                    return;
                }
                int[] s = anyShape();
                bind(name, s, expr(s, 0));
            }
            case 1 -> {
                String v = "c" + ++fresh;
                int[] s = anyShape();
                line("const " + v + " = " + literal(s));
                named(v, s);
                bind(name, s, expr(s, 1));
            }
            default -> {
                int[] s = anyShape();
                bind(name, s, expr(s, 0));
            }
        }
    }

    /** {@code name = dense(in, units[, act])} over a vector or scalar value; its name. */
    private String dense(String name, int units) {
        List<Named> usable = new ArrayList<>();
        for (Named n : names) {
            if (n.shape().length == 1) {
                usable.add(n);
            }
        }
        if (usable.isEmpty()) {
            return bind(name, new int[] {units}, expr(new int[] {units}, 0));
        }
        Named from = usable.get(in.consumeInt(0, usable.size() - 1));
        String act = switch (in.consumeInt(0, 3)) {
            case 0 -> "";
            case 1 -> ", " + def(1);
            default -> ", " + pick(FUNCTIONS);
        };
        line(name + " = dense(" + from.name() + ", " + units + act + ")");
        named(name, new int[] {units});
        return name;
    }

    /** {@code name = expr} where {@code expr} has {@code shape}; the name. */
    private String bind(String name, int[] shape, String expr) {
        line(name + " = " + expr);
        named(name, shape);
        return name;
    }

    /** An expression of exactly {@code shape}, at most {@link #MAX_DEPTH} levels below {@code depth}. */
    String expr(int[] shape, int depth) {
        int choice = depth >= MAX_DEPTH ? in.consumeInt(0, 2) : in.consumeInt(0, 14);
        switch (choice) {
            case 0, 1 -> {
                List<Named> same = new ArrayList<>();
                for (Named n : names) {
                    if (java.util.Arrays.equals(n.shape(), shape)) {
                        same.add(n);
                    }
                }
                if (!same.isEmpty()) {
                    return same.get(in.consumeInt(0, same.size() - 1)).name();
                }
                return param(shape);
            }
            case 2 -> {
                return in.consumeBoolean() ? param(shape) : literal(shape);
            }
            case 3 -> {
                return pick(FUNCTIONS) + "(" + expr(shape, depth + 1) + ")";
            }
            case 4 -> {
                String op = in.pickValue(new String[] {" + ", " - ", " * "});
                int scalarSide = shape.length == 0 ? 0 : in.consumeInt(0, 2);
                String a = scalarSide == 1 ? expr(new int[0], depth + 1) : expr(shape, depth + 1);
                String b = scalarSide == 2 ? expr(new int[0], depth + 1) : expr(shape, depth + 1);
                return "(" + a + op + b + ")";
            }
            case 5 -> {
                String den = switch (in.consumeInt(0, 3)) {
                    case 0 -> "(1 + " + expr(shape, depth + 1) + "^2)";
                    case 1 -> "(softplus(" + expr(shape, depth + 1) + ") + 0.5)";
                    case 2 -> "exp(" + expr(shape, depth + 1) + ")";
                    default -> pick(new String[] {"2", "0.5", "3"});
                };
                return "(" + expr(shape, depth + 1) + " / " + den + ")";
            }
            case 6 -> {
                return switch (in.consumeInt(0, 4)) {
                    case 0 -> expr(shape, depth + 1) + "^2";
                    case 1 -> "(" + expr(shape, depth + 1) + ")^3";
                    case 2 -> "(1 + " + expr(shape, depth + 1) + "^2)^" + pick(new String[] {"0.5", "1.5", "-1"});
                    case 3 -> "sqrt(1 + " + expr(shape, depth + 1) + "^2)";
                    default -> "(1 + sigmoid(" + expr(shape, depth + 1) + "))^" + expr(new int[0], depth + 1);
                };
            }
            case 7 -> {
                return switch (in.consumeInt(0, 2)) {
                    case 0 -> "log(1 + " + expr(shape, depth + 1) + "^2)";
                    case 1 -> "log(sigmoid(" + expr(shape, depth + 1) + "))";
                    default -> "-" + expr(shape, depth + 1);
                };
            }
            case 8 -> {
                String f = pick(new String[] {"max", "min"});
                return f + "(" + expr(shape, depth + 1) + ", " + expr(shape, depth + 1) + ")";
            }
            case 9 -> {
                return switch (in.consumeInt(0, 2)) {
                    case 0 -> "leaky_relu(" + expr(shape, depth + 1) + ", " + pick(new String[] {"0.1", "slope = 0.2"}) + ")";
                    case 1 -> "elu(" + expr(shape, depth + 1) + ", alpha = 0.5)";
                    default -> def(2) + "(" + expr(shape, depth + 1) + ", " + expr(shape, depth + 1) + ")";
                };
            }
            case 10 -> {
                return def(1) + "(" + expr(shape, depth + 1) + ")";
            }
            default -> {
                return structural(shape, depth);
            }
        }
    }

    /** The operations that change shapes: reductions, products, transposes, vector maps. */
    private String structural(int[] shape, int depth) {
        int n = in.consumeInt(1, MAX_SIZE);
        switch (shape.length) {
            case 0 -> {
                return switch (in.consumeInt(0, 4)) {
                    case 0 -> pick(new String[] {"sum", "mean"}) + "(" + expr(anyShape(), depth + 1) + ")";
                    case 1 -> "logsumexp(" + expr(new int[] {n}, depth + 1) + ")";
                    case 2 -> "dot(" + expr(new int[] {n}, depth + 1) + ", " + expr(new int[] {n}, depth + 1) + ")";
                    case 3 -> "(" + expr(new int[] {n}, depth + 1) + " @ " + expr(new int[] {n}, depth + 1) + ")";
                    default -> pick(new String[] {"mse", "mae"}) + "(" + expr(new int[] {n}, depth + 1) + ", "
                            + expr(new int[] {n}, depth + 1) + ")";
                };
            }
            case 1 -> {
                int m = shape[0];
                return switch (in.consumeInt(0, 4)) {
                    case 0 -> "(" + expr(new int[] {m, n}, depth + 1) + " @ " + expr(new int[] {n}, depth + 1) + ")";
                    case 1 -> "(" + expr(new int[] {n}, depth + 1) + " @ " + expr(new int[] {n, m}, depth + 1) + ")";
                    case 2 -> "(" + param(new int[] {n, m}) + "' @ " + expr(new int[] {n}, depth + 1) + ")";
                    case 3 -> "softmax(" + expr(shape, depth + 1) + ")";
                    default -> "log_softmax(" + expr(shape, depth + 1) + ")";
                };
            }
            default -> {
                return in.consumeBoolean()
                        ? "(" + expr(new int[] {shape[0], n}, depth + 1) + " @ " + expr(new int[] {n, shape[1]}, depth + 1) + ")"
                        : "(" + expr(new int[] {shape[1], shape[0]}, depth + 1) + ")'";
            }
        }
    }

    /** A def of one or two arguments with an elementwise body (top level or inside the model); its name. */
    private String def(int arity) {
        String name = "f" + ++fresh;
        String body = switch (in.consumeInt(0, 3)) {
            case 0 -> arity == 1 ? "z * sigmoid(z)" : "a * sigmoid(b)";
            case 1 -> arity == 1 ? "sqrt(1 + z^2) - 1" : "max(a, b) + 0.5 * min(a, b)";
            case 2 -> arity == 1 ? "leaky_relu(z, 0.1)" : "tanh(a) * b";
            default -> arity == 1 ? "softplus(z) - log(2)" : "(a - b)^2";
        };
        String params = arity == 1 ? "z" : "a, b";
        String text = "def " + name + "(" + params + ") = " + body;
        if (in.consumeBoolean()) {
            defs.append(text).append('\n');
        } else {
            line(text);
        }
        return name;
    }

    private String param(int[] shape) {
        String name = "p" + ++fresh;
        line("param  " + name + (shape.length == 0 ? "" : shape(shape)) + INITS[in.consumeInt(0, INITS.length - (shape.length == 2 ? 1 : 3))]);
        named(name, shape);
        return name;
    }

    private String literal(int[] shape) {
        if (shape.length == 0) {
            return pick(NUMBERS);
        }
        if (shape.length == 1) {
            List<String> xs = new ArrayList<>();
            for (int i = 0; i < shape[0]; i++) {
                xs.add(pick(NUMBERS));
            }
            return "[" + String.join(", ", xs) + "]";
        }
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < shape[0]; r++) {
            rows.add(literal(new int[] {shape[1]}));
        }
        return "[" + String.join(", ", rows) + "]";
    }

    private int[] anyShape() {
        return switch (in.consumeInt(0, 2)) {
            case 0 -> new int[0];
            case 1 -> new int[] {in.consumeInt(1, MAX_SIZE)};
            default -> new int[] {in.consumeInt(1, MAX_SIZE), in.consumeInt(1, MAX_SIZE)};
        };
    }

    private String pick(String[] options) {
        return in.pickValue(options);
    }

    private void named(String name, int[] shape) {
        names.add(new Named(name, shape));
    }

    private void line(String s) {
        body.append("    ").append(s).append('\n');
    }

    private static String shape(int[] dims) {
        List<String> ds = new ArrayList<>();
        for (int d : dims) {
            ds.add(Integer.toString(d));
        }
        return "[" + String.join(", ", ds) + "]";
    }
}
