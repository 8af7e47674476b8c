package dev.nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.eval.SplitMix64;
import dev.nnc.optim.Optimizer;
import dev.nnc.optim.Term;
import dev.nnc.optim.Update;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The optimizers' updates as data, without generating code: each {@link Update} interpreted in
 * double here follows {@link TrajectoryTest.TorchOptimizer}, the hand-written torch formulas, over
 * 8 steps of random gradients to a relative 1e-12 (only the order of a few roundings differs). The
 * trajectory tests then check the Java printed from the same data.
 */
class UpdateDataTest {

    static List<String> optimizers() {
        return TrajectoryTest.OPTIMIZERS;
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void theDataFollowsTorchsFormulas(String spelling) {
        Optimizer o = TrajectoryTest.check(TrajectoryTest.source("regressor", spelling, false, "f64")).train().optimizer();
        SplitMix64 random = new SplitMix64(spelling.hashCode());
        Map<String, double[]> expected = new LinkedHashMap<>();
        expected.put("W", new double[] {0.5, -1.5, 2.0, 0.0, -0.25, 3.0});
        Map<String, double[]> actual = new LinkedHashMap<>();
        actual.put("W", expected.get("W").clone());
        TrajectoryTest.TorchOptimizer torch = new TrajectoryTest.TorchOptimizer(o);
        Interpreter data = new Interpreter(o);
        for (int step = 1; step <= 8; step++) {
            double[] g = new double[6];
            for (int i = 0; i < g.length; i++) {
                g[i] = 4 * random.nextDouble() - 2;
            }
            torch.step(expected, Map.of("W", g.clone()));
            data.step(actual.get("W"), g);
            for (int i = 0; i < g.length; i++) {
                double e = expected.get("W")[i];
                double a = actual.get("W")[i];
                assertEquals(e, a, 1e-12 * Math.max(Math.abs(e), 1e-3), spelling + " step " + step + " element " + i);
            }
        }
    }

    @Test
    void adamwReadsAsTorchWritesIt() {
        assertEquals("""
                bias1 = 1 - 0.9^t
                bias2 = 1 - 0.999^t
                stepSize = lr / bias1
                bias2Root = sqrt(bias2)
                decay = 1 - lr * 0.01
                grad = g
                m = 0.9 * m + (1 - 0.9) * grad
                v = 0.999 * v + (1 - 0.999) * grad * grad
                denom = sqrt(v) / bias2Root + 1.0E-8
                p = p * decay - stepSize * m / denom
                """, new Optimizer.AdamW(0.001, 0.9, 0.999, 1e-8, 0.01).update().text());
        assertEquals("adamw(lr = 0.001)", new Optimizer.AdamW(0.001, 0.9, 0.999, 1e-8, 0.01).text());
        assertEquals("sgd(lr = 0.1, momentum = 0.9, nesterov = true)", new Optimizer.Sgd(0.1, 0.9, true, 0).text());
    }

    @Test
    void theBuilderRefusesAnUpdateThatReadsWhatIsNotThere() {
        assertThrows(IllegalStateException.class, () -> Update.builder().next(new Term.Local("x")));
        assertThrows(IllegalStateException.class, () -> Update.builder().next(Term.Leaf.STEP));
        assertThrows(IllegalStateException.class, () -> Update.builder().scalar("s", Term.Leaf.GRAD));
        Update.Builder twice = Update.builder();
        Term.State buf = twice.buffer("buf", "a buffer");
        twice.set(buf, Term.Leaf.GRAD);
        assertThrows(IllegalStateException.class, () -> twice.set(buf, Term.Leaf.GRAD));
    }

    /** One parameter's update run in double, in program order, its buffers kept between steps. */
    static final class Interpreter {
        private final Update u;
        private final double lr;
        private final Map<String, double[]> buffers = new HashMap<>();
        private int step;

        Interpreter(Optimizer o) {
            this.u = o.update();
            this.lr = o.lr();
        }

        void step(double[] p, double[] g) {
            step++;
            Map<Term, Double> scalars = new HashMap<>();
            for (Update.Let let : u.scalars()) {
                scalars.put(let.target(), eval(let.value(), Double.NaN, Double.NaN, scalars));
            }
            for (int i = 0; i < p.length; i++) {
                Map<Term, Double> values = new HashMap<>(scalars);
                for (Update.Buffer b : u.buffers()) {
                    values.put(new Term.State(b.name()), buffers.computeIfAbsent(b.name(), k -> new double[p.length])[i]);
                }
                for (Update.Let let : u.element()) {
                    values.put(let.target(), eval(let.value(), p[i], g[i], values));
                }
                for (Update.Buffer b : u.buffers()) {
                    buffers.get(b.name())[i] = values.get(new Term.State(b.name()));
                }
                p[i] = eval(u.next(), p[i], g[i], values);
            }
        }

        private double eval(Term term, double p, double g, Map<Term, Double> values) {
            return term.accept(new Term.Visitor<Double>() {
                public Double leaf(Term.Leaf leaf) {
                    return switch (leaf) {
                        case PARAM -> p;
                        case GRAD -> g;
                        case LR -> lr;
                        case STEP -> (double) step;
                    };
                }

                public Double constant(Term.Const c) {
                    return c.value();
                }

                public Double local(Term.Local local) {
                    return values.get(local);
                }

                public Double state(Term.State state) {
                    return values.get(state);
                }

                public Double scalar(Term.Scalar scalar) {
                    return values.get(scalar);
                }

                public Double binary(Term.Binary b) {
                    double l = b.left().accept(this);
                    double r = b.right().accept(this);
                    return switch (b.op()) {
                        case ADD -> l + r;
                        case SUB -> l - r;
                        case MUL -> l * r;
                        case DIV -> l / r;
                    };
                }

                public Double sqrt(Term.Sqrt s) {
                    return Math.sqrt(s.of().accept(this));
                }

                public Double pow(Term.Pow pw) {
                    return Math.pow(pw.base().accept(this), pw.exponent().accept(this));
                }
            });
        }
    }
}
