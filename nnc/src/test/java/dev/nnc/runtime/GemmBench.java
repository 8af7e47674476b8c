package dev.nnc.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A microbenchmark of {@link NncGemm} and {@link NncGemmVector} (not a test): GFLOP/s of nt, nn and
 * tn on the layer shapes of a training step, with 1 and 2 threads. A layer {@code batch x in -> out}
 * runs forward {@code nt(X, W, Z, batch, in, out)}, backward {@code nn(Delta, W, Dprev, batch, out, in)}
 * and gradient {@code tn(Delta, X, dW, batch, out, in)}, each {@code 2 * batch * in * out} flops.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes dev.nnc.runtime.GemmBench [seconds-per-case]
 * </pre>
 */
public final class GemmBench {

    private GemmBench() {}

    record Layer(String name, int batch, int in, int out, boolean f64) {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.4;
        String only = args.length > 1 ? args[1] : "";
        List<Layer> layers = new ArrayList<>(List.of(
                new Layer("T3 64x784->128", 64, 784, 128, false),
                new Layer("T3 64x128->64", 64, 128, 64, false),
                new Layer("T3 64x64->10", 64, 64, 10, false),
                new Layer("T4 256x1024->1024", 256, 1024, 1024, false),
                new Layer("T4 256x1024->10", 256, 1024, 10, false),
                new Layer("f64 64x784->128", 64, 784, 128, true),
                new Layer("f64 256x1024->1024", 256, 1024, 1024, true)));
        if (args.length > 2) {
            layers.clear();
            for (int i = 2; i + 2 < args.length; i += 3) {
                layers.add(new Layer("custom " + args[i] + "x" + args[i + 1] + "->" + args[i + 2],
                                Integer.parseInt(args[i]), Integer.parseInt(args[i + 1]), Integer.parseInt(args[i + 2]), false));
            }
        }
        System.out.println(String.format(Locale.ROOT, "%-22s %-4s %-7s %8s %8s", "shape", "op", "variant", "1 thr", "2 thr"));
        for (Layer l : layers) {
            for (String op : new String[] {"nt", "nn", "tn"}) {
                for (boolean vector : new boolean[] {false, true}) {
                    String variant = vector ? "vector" : "plain";
                    if (!only.isEmpty() && !only.equals(variant) && !only.equals(op)) {
                        continue;
                    }
                    double g1 = measure(l, op, vector, 1, seconds);
                    double g2 = measure(l, op, vector, 2, seconds);
                    System.out.println(String.format(Locale.ROOT, "%-22s %-4s %-7s %8.1f %8.1f", l.name, op, variant, g1, g2));
                }
            }
        }
        NncPool.setThreads(1);
    }

    static double measure(Layer l, String op, boolean vector, int threads, double seconds) {
        NncPool.setThreads(threads);
        Random rnd = new Random(1);
        int b = l.batch;
        double flops = 2.0 * b * l.in * l.out;
        Runnable call;
        if (l.f64) {
            double[][] x = randD(rnd, b, l.in);
            double[][] w = randD(rnd, l.out, l.in);
            double[][] z = randD(rnd, b, l.out);
            double[][] dp = randD(rnd, b, l.in);
            double[][] dw = new double[l.out][l.in];
            call = switch (op + vector) {
                case "ntfalse" -> () -> NncGemm.nt(x, w, z, b, l.in, l.out);
                case "nttrue" -> () -> NncGemmVector.nt(x, w, z, b, l.in, l.out);
                case "nnfalse" -> () -> NncGemm.nn(z, w, dp, b, l.out, l.in);
                case "nntrue" -> () -> NncGemmVector.nn(z, w, dp, b, l.out, l.in);
                case "tnfalse" -> () -> NncGemm.tn(z, x, dw, b, l.out, l.in);
                default -> () -> NncGemmVector.tn(z, x, dw, b, l.out, l.in);
            };
        } else {
            float[][] x = randF(rnd, b, l.in);
            float[][] w = randF(rnd, l.out, l.in);
            float[][] z = randF(rnd, b, l.out);
            float[][] dp = randF(rnd, b, l.in);
            float[][] dw = new float[l.out][l.in];
            call = switch (op + vector) {
                case "ntfalse" -> () -> NncGemm.nt(x, w, z, b, l.in, l.out);
                case "nttrue" -> () -> NncGemmVector.nt(x, w, z, b, l.in, l.out);
                case "nnfalse" -> () -> NncGemm.nn(z, w, dp, b, l.out, l.in);
                case "nntrue" -> () -> NncGemmVector.nn(z, w, dp, b, l.out, l.in);
                case "tnfalse" -> () -> NncGemm.tn(z, x, dw, b, l.out, l.in);
                default -> () -> NncGemmVector.tn(z, x, dw, b, l.out, l.in);
            };
        }
        // warm-up: enough calls for C2 (at least ~20k iterations of the hot loops)
        long until = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < until) {
            call.run();
        }
        // best of 5 rounds; with one thread, by the thread's CPU time (so other processes on the
        // machine do not count), with more by wall time
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpu = threads == 1 && mx.isCurrentThreadCpuTimeSupported();
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            long c0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
            long end = t0 + (long) (seconds * 1e9 / 5);
            int calls = 0;
            long t;
            do {
                call.run();
                calls++;
                t = System.nanoTime();
            } while (t < end);
            long spent = cpu ? mx.getCurrentThreadCpuTime() - c0 : t - t0;
            best = Math.min(best, spent / (double) calls);
        }
        return flops / best;
    }

    static float[][] randF(Random rnd, int rows, int cols) {
        float[][] a = new float[rows][cols];
        for (float[] r : a) {
            for (int j = 0; j < cols; j++) {
                r[j] = (float) (rnd.nextGaussian() * 0.5);
            }
        }
        return a;
    }

    static double[][] randD(Random rnd, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] r : a) {
            for (int j = 0; j < cols; j++) {
                r[j] = rnd.nextGaussian() * 0.5;
            }
        }
        return a;
    }
}
