package dev.nnc.runtime;

/**
 * What a generated model takes and gives, with names and shapes as its {@code .nn} file declares
 * them: the inputs of one sample, its targets, the {@code output}, the parameters, and the dtype.
 * A generated class has it as {@code SCHEMA}:
 * <pre>
 *   Xor.SCHEMA.inputSize()        // 2: what predict takes, the inputs flattened in declaration order
 *   Xor.SCHEMA.outputSize()       // 1: what predict returns
 *   Xor.SCHEMA.parameters()       // [h.W[8, 2], h.b[8], out.W[1, 8], out.b[1]]
 * </pre>
 * Immutable, and so safe to share between threads.
 */
public final class Schema {

    /** One named variable of the model: an input, a target, the output or a parameter. */
    public static final class Variable {
        private final String name;
        private final int[] shape;
        private final int classes;

        /**
         * @param name    the name in the {@code .nn} file ({@code x}, {@code h1.W})
         * @param shape   its dimensions, outermost first; empty for a scalar
         * @param classes the class count of a {@code onehot} target (its data holds one label per
         *                sample), else 0
         */
        public Variable(String name, int[] shape, int classes) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("name must not be empty");
            }
            if (shape == null) {
                throw new IllegalArgumentException("shape of " + name + " must not be null");
            }
            for (int d : shape) {
                if (d < 1) {
                    throw new IllegalArgumentException("shape of " + name + " has a dimension " + d + " (each must be at least 1)");
                }
            }
            if (classes < 0 || (classes > 0 && (shape.length != 1 || shape[0] != classes))) {
                throw new IllegalArgumentException("a onehot " + name + " of " + classes + " classes must have shape [" + classes + "]");
            }
            this.name = name;
            this.shape = shape.clone();
            this.classes = classes;
        }

        /** The name in the {@code .nn} file. */
        public String name() {
            return name;
        }

        /** The dimensions, outermost first (a copy); empty for a scalar. */
        public int[] shape() {
            return shape.clone();
        }

        /** The number of elements: the product of the dimensions, 1 for a scalar. */
        public int size() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** Whether this is a {@code onehot} target, whose data is one class label per sample. */
        public boolean onehot() {
            return classes > 0;
        }

        /** The class count of a {@code onehot} target, else 0. */
        public int classes() {
            return classes;
        }

        /** The number of values one sample holds in a data set: 1 (the label) for a onehot target, else {@link #size()}. */
        public int columns() {
            return onehot() ? 1 : size();
        }

        /** {@code x[2]}, {@code W1[8, 2]}, {@code s} for a scalar, {@code y[onehot 10]}. */
        @Override
        public String toString() {
            if (shape.length == 0) {
                return name;
            }
            StringBuilder b = new StringBuilder(name).append('[').append(onehot() ? "onehot " : "");
            for (int i = 0; i < shape.length; i++) {
                b.append(i == 0 ? "" : ", ").append(shape[i]);
            }
            return b.append(']').toString();
        }
    }

    /**
     * How a binary classifier reads its one {@code output}: the model's loss is {@code bce(p, y)} or
     * {@code bce_logits(z, y)} with a target {@code y} of one element, and the output is the
     * probability (predicted positive, class 1, when {@code output >= 0.5}) or the logit (positive when
     * {@code output >= 0}, which is {@code sigmoid(output) >= 0.5}). A target value counts as positive
     * when it is at least 0.5, so 0/1 targets are read as they are. A generated class has it as
     * {@code SCHEMA.binary()}.
     */
    public static final class Binary {
        private final String target;
        private final boolean logit;

        private Binary(String target, boolean logit) {
            if (target == null || target.isEmpty()) {
                throw new IllegalArgumentException("target must not be empty");
            }
            this.target = target;
            this.logit = logit;
        }

        /** The output is a probability of the positive class: positive when it is at least 0.5. */
        public static Binary probability(String target) {
            return new Binary(target, false);
        }

        /** The output is a logit (log-odds) of the positive class: positive when it is at least 0. */
        public static Binary logit(String target) {
            return new Binary(target, true);
        }

        /** The name of the target of one element that holds 0 or 1. */
        public String target() {
            return target;
        }

        /** Whether the output is a logit rather than a probability. */
        public boolean logit() {
            return logit;
        }

        /** What the output is compared with: 0 for a logit, 0.5 for a probability. */
        public double threshold() {
            return logit ? 0 : 0.5;
        }

        /** Whether {@code output} predicts the positive class: it is at least {@link #threshold()} (a NaN is not). */
        public boolean positive(double output) {
            return output >= threshold();
        }

        /** {@code y: positive when the output >= 0.5 (a probability)}. */
        @Override
        public String toString() {
            return target + ": positive when the output >= " + (logit ? "0 (a logit)" : "0.5 (a probability)");
        }
    }

    private final String model;
    private final boolean f64;
    private final Binary binary;
    private final java.util.List<Variable> inputs;
    private final java.util.List<Variable> targets;
    private final Variable output;
    private final java.util.List<Variable> parameters;
    private final NncSupport.Schema layout;
    /** inputSize() and outputSize(), worked out once: predict checks them on every call, which must not allocate (a list's iterator may). */
    private final int inputSize;
    private final int outputSize;

    /**
     * @param model      the model's name in its {@code .nn} file
     * @param f64        whether the model computes in float64 (its API takes {@code double}), else float32
     * @param inputs     the inputs of one sample, in declaration order
     * @param targets    the targets of one sample, in declaration order
     * @param output     the declared {@code output}, or null when the model declares none
     * @param parameters the parameters, in declaration order
     */
    public Schema(String model, boolean f64, Variable[] inputs, Variable[] targets, Variable output, Variable[] parameters) {
        this(model, f64, inputs, targets, output, parameters, null);
    }

    /**
     * As above, for a binary classifier.
     *
     * @param binary the target of one element the output predicts and how the output is read, or
     *               null when the model is not a binary classifier
     */
    public Schema(String model, boolean f64, Variable[] inputs, Variable[] targets, Variable output, Variable[] parameters,
            Binary binary) {
        this.model = model;
        this.binary = binary;
        this.f64 = f64;
        this.inputs = java.util.List.of(inputs);
        this.targets = java.util.List.of(targets);
        this.output = output;
        this.parameters = java.util.List.of(parameters);
        for (Variable v : inputs) {
            if (v.onehot()) {
                throw new IllegalArgumentException("input " + v.name() + " cannot be onehot");
            }
        }
        int n = inputs.length + targets.length;
        String[] names = new String[n];
        int[] sizes = new int[n];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            Variable v = i < inputs.length ? inputs[i] : targets[i - inputs.length];
            names[i] = v.name();
            sizes[i] = v.size();
            classes[i] = v.classes();
        }
        int binaryTarget = binary == null ? -1 : binaryTarget(binary, inputs.length, targets, output);
        this.layout = new NncSupport.Schema(names, sizes, classes, inputs.length, binaryTarget, binary == null ? Double.NaN : binary.threshold());
        int in = 0;
        for (Variable v : inputs) {
            in += v.size();
        }
        this.inputSize = in;
        this.outputSize = output == null ? 0 : output.size();
    }

    /** The variable index of a binary classifier's target; its target and output must each hold one element. */
    private static int binaryTarget(Binary binary, int inputs, Variable[] targets, Variable output) {
        if (output == null || output.size() != 1) {
            throw new IllegalArgumentException("binary target " + binary.target() + ": the output must have one element, it has "
                    + (output == null ? "none" : output.size()));
        }
        for (int t = 0; t < targets.length; t++) {
            if (targets[t].name().equals(binary.target())) {
                if (targets[t].onehot() || targets[t].size() != 1) {
                    throw new IllegalArgumentException("binary target " + targets[t] + " must have one element");
                }
                return inputs + t;
            }
        }
        throw new IllegalArgumentException("binary target " + binary.target() + " is not one of the targets");
    }

    /** The model's name in its {@code .nn} file. */
    public String model() {
        return model;
    }

    /** {@code "f32"} or {@code "f64"}: the precision the model computes in, and so the API's {@code float} or {@code double}. */
    public String dtype() {
        return f64 ? "f64" : "f32";
    }

    /** Whether the model computes in float64. */
    public boolean f64() {
        return f64;
    }

    /** The inputs of one sample, in declaration order. */
    public java.util.List<Variable> inputs() {
        return inputs;
    }

    /** The targets of one sample, in declaration order. */
    public java.util.List<Variable> targets() {
        return targets;
    }

    /** The declared {@code output}, if any. */
    public java.util.Optional<Variable> output() {
        return java.util.Optional.ofNullable(output);
    }

    /**
     * How a binary classifier reads its output, when the model is one (its loss is {@code bce} or
     * {@code bce_logits} on a target of one element and its output is that loss's probability or logit).
     */
    public java.util.Optional<Binary> binary() {
        return java.util.Optional.ofNullable(binary);
    }

    /** The parameters, in declaration order. */
    public java.util.List<Variable> parameters() {
        return parameters;
    }

    /** The parameter named {@code name}, or an exception listing the names there are. */
    public Variable parameter(String name) {
        return parameters.get(parameterIndex(name));
    }

    int parameterIndex(String name) {
        for (int p = 0; p < parameters.size(); p++) {
            if (parameters.get(p).name().equals(name)) {
                return p;
            }
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        parameters.forEach(v -> names.add(v.name()));
        throw new IllegalArgumentException("model " + model + " has no parameter " + name + " (it has " + String.join(", ", names) + ")");
    }

    /** The length of one sample's input array: every input flattened, in declaration order. */
    public int inputSize() {
        return inputSize;
    }

    /** The length of one sample's target array in a data set: every target's {@link Variable#columns()}. */
    public int targetSize() {
        int n = 0;
        for (Variable v : targets) {
            n += v.columns();
        }
        return n;
    }

    /** The length of what predict returns: the output's elements, 0 when the model declares no output. */
    public int outputSize() {
        return outputSize;
    }

    /** The per-sample layout the data readers and the generated trainer share. */
    NncSupport.Schema layout() {
        return layout;
    }

    /** {@code xor: x[2] -> p[1] (target y[1]; parameters h.W[8, 2], h.b[8], out.W[1, 8], out.b[1]; f32)}. */
    @Override
    public String toString() {
        return model + ": " + join(inputs) + " -> " + (output == null ? "(no output)" : output.toString()) + " (target "
                + join(targets) + "; parameters " + join(parameters) + "; " + dtype() + ")";
    }

    private static String join(java.util.List<Variable> vars) {
        StringBuilder b = new StringBuilder();
        for (Variable v : vars) {
            b.append(b.length() == 0 ? "" : ", ").append(v);
        }
        return b.toString();
    }
}
