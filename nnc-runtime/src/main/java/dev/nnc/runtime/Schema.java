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

    private final String model;
    private final boolean f64;
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
        this.model = model;
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
        this.layout = new NncSupport.Schema(names, sizes, classes, inputs.length);
        int in = 0;
        for (Variable v : inputs) {
            in += v.size();
        }
        this.inputSize = in;
        this.outputSize = output == null ? 0 : output.size();
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
