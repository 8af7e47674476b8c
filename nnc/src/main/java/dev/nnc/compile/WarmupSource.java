package dev.nnc.compile;

/**
 * What {@link Warmup} compiles: a small class shaped like a generated trainer (float arrays and
 * loops, Math calls, a lambda, string concatenation, the runtime's types), so that the parts of javac
 * a real trainer needs are loaded and warm. Its result is thrown away; should the runtime's names
 * change, javac's errors are ignored and the warm-up is only a little less complete.
 */
final class WarmupSource {

    /** The first, short round: javac's code paths, one runtime class read. */
    static final String TINY_CLASS_NAME = "NncWarmupTiny";

    static final String TINY = """
            import dev.nnc.runtime.NncModel;

            final class NncWarmupTiny {
                NncModel model;
                int f(int x) {
                    return x + 1;
                }
            }
            """;

    static final String CLASS_NAME = "NncWarmupTrainer";

    static final String TEXT = """
            import dev.nnc.runtime.*;
            import java.io.PrintStream;
            import java.util.Arrays;

            /** Warms javac up. */
            public final class NncWarmupTrainer {
                static final NncSupport.Schema SCHEMA = null;
                public final float[][] w = new float[8][16];
                public final float[] b = new float[8];
                public final float[] x = new float[16];
                public final float[] h = new float[8];
                private final double[] d = new double[4];
                private int[] data;
                int step;
                float lr = 0.001f;
                public float loss;

                public NncWarmupTrainer(long seed) {
                    NncSupport.SplitMix64 random = new NncSupport.SplitMix64(seed);
                    for (int i = 0; i < 8; i++) {
                        for (int j = 0; j < 16; j++) {
                            w[i][j] = (float) ((-0.25) + (0.25 - (-0.25)) * random.nextDouble());
                        }
                    }
                }

                public double trainSample(int s) {
                    System.arraycopy(x, 0, h, 0, 8);
                    for (int i = 0; i < 8; i++) {
                        float acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
                        for (int p = 0; p < 16; p += 4) {
                            acc0 += w[i][p] * x[p];
                            acc1 += w[i][p + 1] * x[p + 1];
                            acc2 += w[i][p + 2] * x[p + 2];
                            acc3 += w[i][p + 3] * x[p + 3];
                        }
                        float acc = (acc0 + acc1) + (acc2 + acc3);
                        h[i] = relu(acc + b[i]) * (i == data[s] ? 1f : 0f);
                    }
                    Arrays.fill(b, 0f);
                    {
                        float lse = logsumexp(h);
                        for (int i = 0; i < 8; i++) {
                            b[i] = (float) Math.exp(h[i] - lse);
                        }
                    }
                    loss = Math.max(loss, h[0]);
                    return loss;
                }

                private static float relu(float x) {
                    return NncWarmupRun.relu(x);
                }

                private static float logsumexp(float[] v) {
                    return NncWarmupRun.logsumexp(v);
                }
            }

            /** Small top-level classes: javac's events come often, so that a warm-up stops quickly. */
            final class NncWarmupUpdate {
                final float[][] w = new float[8][16];
                final float[] b = new float[8];
                int step;
                float lr = 0.001f;
                float loss;

                public void update() {
                    step++;
                    double c1 = 1.0 / (1.0 - Math.pow(0.9, step));
                    for (int i = 0; i < 8; i++) {
                        float[] row = w[i];
                        for (int j = 0; j < 16; j++) {
                            row[j] -= (float) (lr * c1 * Math.sqrt(row[j] * row[j] + 1e-8));
                        }
                    }
                    if (!Float.isFinite(loss)) {
                        throw new IllegalStateException("loss " + loss + " at step " + step);
                    }
                }

                public double[][] weights() {
                    double[][] out = new double[][] {new double[w.length * w[0].length], new double[b.length]};
                    int k = 0;
                    for (float[] row : w) {
                        for (float v : row) {
                            out[0][k++] = v;
                        }
                    }
                    return out;
                }

                public String name() {
                    return "warmup";
                }
            }

            final class NncWarmupRun {
                public static int run(String[] args, PrintStream out, PrintStream err) {
                    java.util.function.LongFunction<NncWarmupTrainer> make = NncWarmupTrainer::new;
                    NncWarmupUpdate u = new NncWarmupUpdate();
                    u.update();
                    Runnable r = () -> out.println(u.name() + make.apply(1L).loss + args.length);
                    r.run();
                    return args.length == 0 ? 0 : switch (args[0]) {
                        case "a" -> 1;
                        default -> 2;
                    };
                }

                static float relu(float x) {
                    return x > 0f ? x : 0f;
                }

                static float logsumexp(float[] v) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (float e : v) {
                        m = Math.max(m, e);
                    }
                    double sum = 0;
                    for (float e : v) {
                        sum += Math.exp(e - m);
                    }
                    return (float) (m + Math.log(sum));
                }
            }
            """;

    private WarmupSource() {}
}
