package dev.nnc.ops;

import dev.nnc.runtime.NncMath;
import java.util.Locale;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Every elementwise function, with all its facts in one place: its name in the language and in
 * print, its optional scalar parameter and that parameter's default, its value in f64, its derivative
 * rules (as math over an {@link Algebra}), and the runtime method generated code calls
 * ({@code NncMath.<javaMethod>}, whose double version is also the value here). The stages ask these
 * facts and never switch over the functions, so a new activation is one constant here and its
 * value in {@link NncMath}.
 *
 * <pre>
 *   TANH: tanh(x), no parameter, value Math.tanh, tanh'(x) = 1 - tanh(x)^2, Java NncMath.tanh(x)
 * </pre>
 *
 * The functions marked internal are derivatives that rules produce and no {@code .nn} file calls.
 */
public enum Fn {

    EXP("exp", "\\exp", NncMath::exp) {
        // exp' = exp
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return n;
        }

        @Override
        public String whyNotFinite(double x, double result) {
            return "exp overflows (exp(" + x + "))";
        }
    },
    LOG("log", "\\log", NncMath::log) {
        // log'(x) = 1 / x
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.div(d.constant(1), x);
        }

        @Override
        public String whyNotFinite(double x, double result) {
            return x < 0 ? "log of a negative number (" + x + ")" : "log of zero";
        }
    },
    SQRT("sqrt", "\\sqrt", NncMath::sqrt) {
        // sqrt'(x) = 1 / (2 sqrt(x))
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.div(d.constant(1), d.mul(d.constant(2), n));
        }

        @Override
        public String whyNotFinite(double x, double result) {
            return "sqrt of a negative number (" + x + ")";
        }
    },
    ABS("abs", "\\mathrm{abs}", NncMath::abs) {
        // abs'(x) = sign(x), so abs'(0) = 0 as in PyTorch
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.apply(SIGN, x);
        }
    },
    SIN("sin", "\\sin", NncMath::sin) {
        // sin' = cos
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.apply(COS, x);
        }
    },
    COS("cos", "\\cos", NncMath::cos) {
        // cos' = -sin
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.neg(d.apply(SIN, x));
        }
    },
    TANH("tanh", "\\tanh", NncMath::tanh) {
        // tanh' = 1 - t^2
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.sub(d.constant(1), d.pow(n, d.constant(2)));
        }
    },
    SIGMOID("sigmoid", "\\sigma", NncMath::sigmoid) {
        // sigmoid' = s (1 - s)
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.mul(n, d.sub(d.constant(1), n));
        }
    },
    RELU("relu", "\\mathrm{relu}", NncMath::relu) {
        // relu'(x) = [x > 0], so relu'(0) = 0 as in PyTorch
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.apply(RELU_GRAD, x);
        }
    },
    SOFTPLUS("softplus", "\\mathrm{softplus}", NncMath::softplus) {
        // softplus' = sigmoid
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.apply(SIGMOID, x);
        }
    },
    LEAKY_RELU("leaky_relu", "\\mathrm{leaky\\_relu}", NncMath::leakyRelu, "slope", 0.01) {
        // leaky_relu'(x, a) = x > 0 ? 1 : a
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.apply(LEAKY_RELU_GRAD, x, a);
        }

        // d/da leaky_relu(x, a) = min(x, 0) = x - relu(x)
        @Override
        public <N> N da(Algebra<N> d, N x, N a, N n) {
            return d.sub(x, d.apply(RELU, x));
        }
    },
    ELU("elu", "\\mathrm{elu}", NncMath::elu, "alpha", 1.0) {
        // elu'(x, a) = x > 0 ? 1 : a exp(x)
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.apply(ELU_GRAD, x, a);
        }

        // d/da elu(x, a) = x > 0 ? 0 : exp(x) - 1 = elu(x, 1) - relu(x)
        @Override
        public <N> N da(Algebra<N> d, N x, N a, N n) {
            return d.sub(d.apply(ELU, x, d.constant(1)), d.apply(RELU, x));
        }
    },
    SILU("silu", "\\mathrm{silu}", NncMath::silu) {
        // silu'(x) = s (1 + x (1 - s)), s = sigmoid(x)
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.apply(SILU_GRAD, x);
        }
    },
    GELU("gelu", "\\mathrm{gelu}", NncMath::gelu) {
        // gelu'(x) = Phi(x) + x phi(x)
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.apply(GELU_GRAD, x);
        }
    },

    // ---- internal: derivatives the rules above produce
    RELU_GRAD("relu'", "\\mathrm{relu}'", NncMath::reluGrad, Kind.STEP, "relu'(z) is 1 where z > 0, else 0"),
    LEAKY_RELU_GRAD("leaky_relu'", "\\mathrm{leaky\\_relu}'", NncMath::leakyReluGrad, "slope",
            "leaky_relu'(z, a) is 1 where z > 0, else a") {
        // a step in x: zero wherever it exists
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return null;
        }

        // but linear in its slope, but linear in its slope: d/da leaky_relu'(x, a) = [x <= 0] = 1 - relu'(x)
        @Override
        public <N> N da(Algebra<N> d, N x, N a, N n) {
            return d.sub(d.constant(1), d.apply(RELU_GRAD, x));
        }
    },
    SIGN("sign", "\\mathrm{sign}", NncMath::sign, Kind.STEP, "sign(z) is 1, 0 or -1 as z is positive, zero or negative"),
    ELU_GRAD("elu'", "\\mathrm{elu}'", NncMath::eluGrad, "alpha", "elu'(z, a) is 1 where z > 0, else a exp(z)") {
        // for x <= 0: d/dx a exp(x) = a exp(x), d/da a exp(x) = exp(x); for x > 0 both 0
        @Override
        public <N> N dx(Algebra<N> d, N x, N a, N n) {
            return d.sub(n, d.apply(RELU_GRAD, x));
        }

        @Override
        public <N> N da(Algebra<N> d, N x, N a, N n) {
            return d.sub(d.apply(ELU_GRAD, x, d.constant(1)), d.apply(RELU_GRAD, x));
        }
    },
    SILU_GRAD("silu'", "\\mathrm{silu}'", NncMath::siluGrad, Kind.SMOOTH, "silu'(z) = s (1 + z (1 - s)), s = sigmoid(z)"),
    GELU_GRAD("gelu'", "\\mathrm{gelu}'", NncMath::geluGrad, Kind.SMOOTH,
            "gelu'(z) = Phi(z) + z phi(z), the standard normal distribution function and density");

    /** A function's family: what its own derivative is. */
    enum Kind {
        /** A built-in with derivative rules. */
        BUILTIN,
        /** Piecewise constant in x: its derivative is zero wherever it exists. */
        STEP,
        /** A derivative whose own derivative no rule needs (gradients are taken once). */
        SMOOTH,
        /** A derivative with a parameter: its rules are written out. */
        PARAMETRIC
    }

    private final String symbol;
    private final String latex;
    private final DoubleUnaryOperator unary;
    private final DoubleBinaryOperator binary;
    private final String param;
    private final double paramDefault;
    private final Kind kind;
    private final String note;

    Fn(String symbol, String latex, DoubleUnaryOperator value) {
        this(symbol, latex, value, null, null, Double.NaN, Kind.BUILTIN, null);
    }

    Fn(String symbol, String latex, DoubleBinaryOperator value, String param, double paramDefault) {
        this(symbol, latex, null, value, param, paramDefault, Kind.BUILTIN, null);
    }

    Fn(String symbol, String latex, DoubleUnaryOperator value, Kind kind, String note) {
        this(symbol, latex, value, null, null, Double.NaN, kind, note);
    }

    Fn(String symbol, String latex, DoubleBinaryOperator value, String param, String note) {
        this(symbol, latex, null, value, param, Double.NaN, Kind.PARAMETRIC, note);
    }

    Fn(String symbol, String latex, DoubleUnaryOperator unary, DoubleBinaryOperator binary, String param,
            double paramDefault, Kind kind, String note) {
        this.symbol = symbol;
        this.latex = latex;
        this.unary = unary;
        this.binary = binary;
        this.param = param;
        this.paramDefault = paramDefault;
        this.kind = kind;
        this.note = note;
    }

    /** The name in the language and in printed gradients: {@code tanh}, {@code relu'}. */
    public String symbol() {
        return symbol;
    }

    /** The name in LaTeX: {@code \tanh}, {@code \mathrm{relu}'}. */
    public String latex() {
        return latex;
    }

    /** Whether a {@code .nn} file may call it (the others are derivatives the rules produce). */
    public boolean builtin() {
        return kind == Kind.BUILTIN;
    }

    /** Its scalar parameter's name ({@code slope}, {@code alpha}), or null when it takes only x. */
    public String param() {
        return param;
    }

    /** The parameter's default when a call leaves it out. */
    public double paramDefault() {
        return paramDefault;
    }

    /** Piecewise constant in x: its derivative is zero wherever it exists (relu', sign). */
    public boolean isStep() {
        return kind == Kind.STEP;
    }

    /** What a gradient listing says under the formulas when it uses this function, or null. */
    public String note() {
        return note;
    }

    /** The {@code NncMath} method generated code calls: {@code LEAKY_RELU_GRAD -> leakyReluGrad}. */
    public String javaMethod() {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : name().toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    /** The value at x (and the parameter a, ignored without one), in f64. */
    public double value(double x, double a) {
        return unary != null ? unary.applyAsDouble(x) : binary.applyAsDouble(x, a);
    }

    /**
     * d f(x, a) / dx in terms of x, the parameter a (null without one) and the result n = f(x, a).
     * Steps have none (zero wherever it exists); the internal smooth derivatives are never
     * differentiated again.
     */
    public <N> N dx(Algebra<N> d, N x, N a, N n) {
        if (kind == Kind.STEP) {
            return null;
        }
        throw new UnsupportedOperationException("no derivative rule for " + symbol + " (a derivative is not differentiated again)");
    }

    /** d f(x, a) / da, or null where f has no parameter or does not depend on it. */
    public <N> N da(Algebra<N> d, N x, N a, N n) {
        return null;
    }

    /** Why a non-finite result at x, in words ("log of a negative number (-0.5)"). */
    public String whyNotFinite(double x, double result) {
        return symbol + " gives " + result;
    }

    /** The built-in of that name, or null. */
    public static Fn builtin(String name) {
        for (Fn f : values()) {
            if (f.builtin() && f.symbol.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
