package dev.nnc.lower;

import java.util.ArrayList;
import java.util.List;

/**
 * Fuses a matrix product into the elementwise loop that is its only reader:
 * {@code t = W @ x; h = relu(t + b)} becomes one {@code MatMul} whose epilogue is
 * {@code relu(product + b[i])}, so {@code t} is never stored. A product that the program's caller
 * reads (the output of an evaluation, {@code out = W @ x} read by {@code sigmoid(out)}) stays stored.
 */
final class EpilogueFusion {

    private EpilogueFusion() {}

    static List<Step> fuse(List<Step> steps, List<Var> temps, List<Var> kept) {
        List<Step> out = new ArrayList<>(steps);
        for (int e = 0; e < out.size(); e++) {
            if (!(out.get(e) instanceof Step.Elementwise ew)) {
                continue;
            }
            for (int m = e - 1; m >= 0; m--) {
                if (out.get(m) instanceof Step.MatMul mm && mm.epilogue() instanceof Elem.Product && !mm.accumulate()
                        && mm.out().role() == Var.Role.TEMP && temps.contains(mm.out()) && !kept.contains(mm.out())
                        && mm.out().shape().equals(ew.shape()) && reads(ew.value(), mm.out()) == 1 && loads(ew.value(), mm.out()) == 1
                        && readers(mm.out(), out) == 1 && ew.out() != mm.a() && ew.out() != mm.b()) {
                    Elem epilogue = replace(ew.value(), mm.out());
                    out.set(e, new Step.MatMul(ew.out(), mm.a(), mm.aTransposed(), mm.b(), mm.bTransposed(), epilogue,
                            ew.accumulate(), ew.term()));
                    out.remove(m);
                    e--;
                    break;
                }
            }
        }
        return out;
    }

    /** How many times {@code value} reads {@code v}. */
    static int reads(Elem value, Var v) {
        List<Var> read = new ArrayList<>();
        Elem.reads(value, read);
        return (int) read.stream().filter(x -> x == v).count();
    }

    /** How many times {@code value} reads {@code v} at the loop's own index (not through a slice). */
    static int loads(Elem value, Var v) {
        if (value instanceof Elem.Load l) {
            return l.var() == v ? 1 : 0;
        } else if (value instanceof Elem.Apply a) {
            return a.args().stream().mapToInt(x -> loads(x, v)).sum();
        }
        return 0;
    }

    /** How many reads of {@code v} the steps make in all. */
    static int readers(Var v, List<Step> steps) {
        int n = 0;
        for (Step s : steps) {
            n += (int) s.reads().stream().filter(x -> x == v).count();
        }
        return n;
    }

    /** Whether any step writes or reads {@code v}. */
    static boolean isUsed(Var v, List<Step> steps) {
        return readers(v, steps) > 0 || steps.stream().anyMatch(s -> s.out() == v);
    }

    private static Elem replace(Elem value, Var v) {
        if (value instanceof Elem.Load l && l.var() == v) {
            return new Elem.Product();
        } else if (value instanceof Elem.Apply a) {
            List<Elem> args = new ArrayList<>();
            for (Elem x : a.args()) {
                args.add(replace(x, v));
            }
            return new Elem.Apply(a.kind(), a.fn(), args);
        }
        return value;
    }
}
