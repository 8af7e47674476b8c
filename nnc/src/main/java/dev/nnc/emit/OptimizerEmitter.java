package dev.nnc.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.nnc.check.TrainConfig;
import dev.nnc.lower.KernelChoice;
import dev.nnc.lower.Names;
import dev.nnc.lower.Var;
import dev.nnc.optim.Optimizer;
import dev.nnc.optim.Term;
import dev.nnc.optim.Update;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The optimizer's step, printed from its data ({@link Update}); no formula is written here. The
 * per-step scalars, then per parameter element the update's assignments into locals, stored by
 * {@code update} and only tested by {@code nonFiniteStep}. For {@code adamw(lr = 0.01)} and a
 * vector {@code b} in f32:
 *
 * <pre>
 *   float grad = db[i];
 *   float mNext = 0.9f * m_b[i] + 0.09999999999999998f * grad;
 *   ...
 *   float next = b[i] * decay - stepSize * mNext / denom;
 *   m_b[i] = mNext; v_b[i] = vNext; b[i] = next; db[i] = 0;
 * </pre>
 *
 * A buffer {@code m} of parameter {@code W} is the field {@code m_W}; its new value the local {@code mNext}.
 * The update's names are the optimizer's as they are: {@link Names} keeps the model's names off them.
 */
final class OptimizerEmitter {

    /** A state buffer of one parameter, as a field of the trainer. */
    record StateField(Var var, String doc) {}

    private final Types t;
    private final Optimizer o;
    private final Update u;
    private final List<Var> params;
    private final List<Var> grads;

    /** Whether the dry run calls the Vector API's row tests ({@code NncGemmVector.sgdFinite} ...) where there is one. */
    private final boolean vector;

    OptimizerEmitter(Types t, Optimizer optimizer, boolean vector, List<Var> params, List<Var> grads) {
        this.t = t;
        this.o = optimizer;
        this.u = optimizer.update();
        this.vector = vector;
        this.params = params;
        this.grads = grads;
    }

    /** Every parameter's state buffers, buffer by buffer (every parameter's m, then every v). */
    List<StateField> stateFields() {
        List<StateField> fields = new ArrayList<>();
        for (Update.Buffer b : u.buffers()) {
            for (Var p : params) {
                fields.add(new StateField(field(b.name(), p), b.doc()));
            }
        }
        return fields;
    }

    /** Whether the trainer counts its steps (for bias corrections). */
    boolean countsSteps() {
        return u.countsSteps();
    }

    MethodSpec update() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("update").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .addJavadoc("One step of {@code $L} from the mean gradients in the d* buffers, which it leaves zero:\n<pre>\n$L</pre>\n",
                        o.text(), u.text());
        if (u.countsSteps()) {
            m.addStatement("step++");
        }
        scalars(m, "step");
        for (int k = 0; k < params.size(); k++) {
            m.addCode(elements(params.get(k), step(params.get(k), grads.get(k), true)));
        }
        // the gradients were cleared as they were read: the next mini-batch starts from zero without a pass of its own
        return m.addStatement("gradientsStale = false").build();
    }

    /**
     * The same step, computed and not stored: the first parameter one of whose new values would not be
     * finite, or -1. The driver asks before every update, so an overflowing step is never applied and
     * the weights stay those of the last finite step.
     */
    MethodSpec nonFiniteStep() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("nonFiniteStep").addModifiers(Modifier.PUBLIC)
                .addAnnotation(Override.class).returns(int.class);
        scalars(m, "(step + 1)");
        for (int k = 0; k < params.size(); k++) {
            Var p = params.get(k);
            CodeBlock rowTest = vector && !p.isScalar() && KernelChoice.vectorUpdate(p.shape().dim(p.shape().rank() - 1))
                    ? rowTest(p, grads.get(k)) : null;
            if (p.isScalar()) {
                m.addCode(elements(p, step(p, grads.get(k), false).toBuilder()
                        .beginControlFlow("if (!$L(next))", t.f32() ? "Float.isFinite" : "Double.isFinite")
                        .addStatement("return $L", k).endControlFlow().build()));
            } else if (rowTest != null) {
                // the run decides (NncModel.useVectorApi): a short run's work does not pay for the Vector API's compile
                m.beginControlFlow("if ($N)", Names.VECTOR_KERNELS);
                vectorCheck(m, p, rowTest, k);
                m.nextControlFlow("else");
                maxCheck(m, p, grads.get(k), k);
                m.endControlFlow();
            } else {
                maxCheck(m, p, grads.get(k), k);
            }
        }
        return m.addStatement("return -1").build();
    }

    /**
     * The plain dry run of one parameter: the largest |new value| of each row, NaN or infinity when
     * one is not finite (Math.max keeps a NaN); a max reduction the JIT vectorizes, where a test of
     * every element would not be. The inner loop's index is the one the update's element loop gives
     * that position (at).
     */
    private void maxCheck(MethodSpec.Builder m, Var p, Var g, int k) {
        boolean matrix = p.shape().rank() == 2;
        String index = matrix ? "j" : "i";
        if (matrix) {
            m.beginControlFlow("for (int i = 0; i < $L; i++)", p.shape().dim(0));
        } else {
            m.addCode("{\n$>");
        }
        m.addStatement("$T worst = 0", t.scalar());
        m.beginControlFlow("for (int $L = 0; $L < $L; $L++)", index, index, p.shape().dim(p.shape().rank() - 1), index);
        m.addCode(step(p, g, false));
        m.addStatement("worst = Math.max(worst, Math.abs(next))");
        m.endControlFlow();
        m.beginControlFlow("if (!(worst <= $L))", t.f32() ? "Float.MAX_VALUE" : "Double.MAX_VALUE")
                .addStatement("return $L", k).endControlFlow();
        if (matrix) {
            m.endControlFlow();
        } else {
            m.addCode("$<}\n");
        }
    }

    /** The dry run of one parameter with the Vector API: a row test per row. */
    private void vectorCheck(MethodSpec.Builder m, Var p, CodeBlock rowTest, int k) {
        boolean matrix = p.shape().rank() == 2;
        if (matrix) {
            m.beginControlFlow("for (int i = 0; i < $L; i++)", p.shape().dim(0));
        }
        m.beginControlFlow("if (!$L)", rowTest).addStatement("return $L", k).endControlFlow();
        if (matrix) {
            m.endControlFlow();
        }
    }

    /**
     * The Vector API row test of row {@code i} (of the whole vector), {@code NncGemmVector.*Finite}, for the
     * optimizers that have one; null where the dry run is the update printed as a max reduction.
     */
    private CodeBlock rowTest(Var p, Var g) {
        String row = p.shape().rank() == 2 ? "[i]" : "";
        int n = p.shape().dim(p.shape().rank() - 1);
        return o.match(new Optimizer.Cases<>() {
            public CodeBlock sgd(Optimizer.Sgd s) {
                if (s.weightDecay() != 0 || s.nesterov()) {
                    return null;
                }
                return s.momentum() == 0
                        ? CodeBlock.of("$T.sgdFinite($N$L, $N$L, lr, $L)", Runtime.GEMM_VECTOR, p.name(), row, g.name(), row, n)
                        : CodeBlock.of("$T.momentumFinite($N$L, $N$L, $N$L, $L, lr, $L)", Runtime.GEMM_VECTOR, p.name(), row,
                                g.name(), row, field("buf", p).name(), row, t.literal(s.momentum()), n);
            }

            public CodeBlock adam(Optimizer.Adam a) {
                return a.weightDecay() == 0 ? adamFinite(a.beta1(), a.beta2(), a.eps()) : null;
            }

            public CodeBlock adamw(Optimizer.AdamW a) {
                return a.weightDecay() == 0 ? adamFinite(a.beta1(), a.beta2(), a.eps()) : null;
            }

            public CodeBlock rmsprop(Optimizer.RmsProp r) {
                return null;
            }

            private CodeBlock adamFinite(double beta1, double beta2, double eps) {
                return CodeBlock.of("$T.adamFinite($N$L, $N$L, $N$L, $N$L, $L, $L, $L, $L, $L, $L, $L, $L)", Runtime.GEMM_VECTOR,
                        p.name(), row, g.name(), row, field("m", p).name(), row, field("v", p).name(), row, t.literal(beta1),
                        t.literal(1 - beta1), t.literal(beta2), t.literal(1 - beta2), "stepSize", "bias2Root",
                        t.literal(eps), n);
            }
        });
    }

    /** The per-step scalars: those the elements read in the trainer's precision, the others in double. */
    private void scalars(MethodSpec.Builder m, String step) {
        Printer printer = new Printer(null, null, step);
        for (Update.Let let : u.scalars()) {
            CodeBlock value = let.value().accept(printer);
            if (u.elementReads((Term.Scalar) let.target())) {
                CodeBlock narrowed = !t.f32() ? value
                        : let.value() instanceof Term.Binary ? t.cast(CodeBlock.of("($L)", value)) : t.cast(value);
                m.addStatement("$T $L = $L", t.scalar(), let.name(), narrowed);
            } else {
                m.addStatement("double $L = $L", let.name(), value);
            }
        }
    }

    /**
     * One element's step: the update's assignments and the new weight {@code next}, then stored (with
     * the gradient cleared) when {@code store}, else left for the caller to test.
     */
    private CodeBlock step(Var p, Var g, boolean store) {
        CodeBlock.Builder b = CodeBlock.builder();
        Printer printer = new Printer(p, g, null);
        for (Update.Let let : u.element()) {
            boolean buffer = let.target() instanceof Term.State;
            b.addStatement("$T $L = $L", t.scalar(), buffer ? let.name() + "Next" : let.name(),
                    let.value().accept(printer));
            if (buffer) {
                printer.assigned.add(let.name());
            }
        }
        b.addStatement("$T next = $L", t.scalar(), u.next().accept(printer));
        if (!store) {
            return b.build(); // the caller tests next
        }
        for (Update.Let let : u.element()) {
            if (let.target() instanceof Term.State) {
                b.addStatement("$L = $L", at(field(let.name(), p)), let.name() + "Next");
            }
        }
        b.addStatement("$L = next", at(p));
        return b.addStatement("$L = 0", at(g)).build();
    }

    /** A term as Java: per element in the trainer's precision, per step (p and g null) in double. */
    private final class Printer implements Term.Visitor<CodeBlock> {
        private final Var p;
        private final Var g;
        private final String step;
        /** The buffers assigned so far: a read is their new value. */
        private final Set<String> assigned = new HashSet<>();

        Printer(Var p, Var g, String step) {
            this.p = p;
            this.g = g;
            this.step = step;
        }

        private boolean perStep() {
            return p == null;
        }

        public CodeBlock leaf(Term.Leaf leaf) {
            return switch (leaf) {
                case PARAM -> CodeBlock.of("$L", at(p));
                case GRAD -> CodeBlock.of("$L", at(g));
                case LR -> CodeBlock.of("lr");
                case STEP -> CodeBlock.of("$L", step);
            };
        }

        public CodeBlock constant(Term.Const c) {
            return perStep() ? F64.literal(c.value()) : t.literal(c.value());
        }

        public CodeBlock local(Term.Local local) {
            return CodeBlock.of("$L", local.name());
        }

        public CodeBlock state(Term.State state) {
            return assigned.contains(state.name()) ? CodeBlock.of("$L", state.name() + "Next")
                    : CodeBlock.of("$L", at(field(state.name(), p)));
        }

        public CodeBlock scalar(Term.Scalar scalar) {
            return CodeBlock.of("$L", scalar.name());
        }

        public CodeBlock binary(Term.Binary b) {
            CodeBlock left = b.left().accept(this);
            CodeBlock right = b.right().accept(this);
            return CodeBlock.of(b.leftNeedsParens() ? "($L)" : "$L", left).toBuilder().add(" $L ", b.op().symbol())
                    .add(b.rightNeedsParens() ? "($L)" : "$L", right).build();
        }

        public CodeBlock sqrt(Term.Sqrt s) {
            return narrow(CodeBlock.of("Math.sqrt($L)", s.of().accept(this)));
        }

        public CodeBlock pow(Term.Pow pow) {
            return narrow(CodeBlock.of("Math.pow($L, $L)", pow.base().accept(this), pow.exponent().accept(this)));
        }

        private CodeBlock narrow(CodeBlock call) {
            return perStep() ? call : t.cast(call);
        }
    }

    private static final Types F64 = new Types(TrainConfig.DType.F64);

    /** Buffer {@code buffer} of parameter {@code p}: the field {@code buffer_p}. */
    private static Var field(String buffer, Var p) {
        return new Var(Names.state(buffer, p.name()), p.shape(), Var.Role.TEMP);
    }

    /** {@code v}'s element at the update loop's indices: {@code W[i][j]}, {@code b[i]}, or a scalar itself. */
    private static CodeBlock at(Var v) {
        return v.isScalar() ? CodeBlock.of("$N", v.name())
                : v.shape().rank() == 1 ? CodeBlock.of("$N[i]", v.name()) : CodeBlock.of("$N[i][j]", v.name());
    }

    private static CodeBlock elements(Var p, CodeBlock body) {
        if (p.isScalar()) {
            // a block of its own, so each scalar's step can declare the same locals
            return CodeBlock.builder().add("{\n$>").add(body).add("$<}\n").build();
        }
        CodeBlock.Builder b = CodeBlock.builder().beginControlFlow("for (int i = 0; i < $L; i++)", p.shape().dim(0));
        if (p.shape().rank() == 2) {
            b.beginControlFlow("for (int j = 0; j < $L; j++)", p.shape().dim(1));
        }
        b.add(body);
        if (p.shape().rank() == 2) {
            b.endControlFlow();
        }
        return b.endControlFlow().build();
    }
}
