package dev.nnc.lower;

import java.util.ArrayList;
import java.util.List;

/**
 * Fuses a matrix product into the elementwise loop that is its only reader:
 * {@code t = W @ x; h = relu(t + b)} becomes one {@code MatMul} whose epilogue is
 * {@code relu(product + b[i])}, so {@code t} is never stored.
 */
final class EpilogueFusion {

    private EpilogueFusion() {}

    static List<Step> fuse(List<Step> steps, List<Var> temps) {
        List<Step> out = new ArrayList<>(steps);
        for (int e = 0; e < out.size(); e++) {
            if (!(out.get(e) instanceof Step.Elementwise ew)) {
                continue;
            }
            for (int m = e - 1; m >= 0; m--) {
                if (out.get(m) instanceof Step.MatMul mm && mm.epilogue() instanceof Elem.Product && !mm.accumulate()
                        && mm.out().role() == Var.Role.TEMP && temps.contains(mm.out())
                        && mm.out().shape().equals(ew.shape()) && reads(ew.value(), mm.out()) == 1
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
        if (value instanceof Elem.Load l) {
            return l.var() == v ? 1 : 0;
        } else if (value instanceof Elem.Apply a) {
            int n = 0;
            for (Elem x : a.args()) {
                n += reads(x, v);
            }
            return n;
        }
        return 0;
    }

    /** How many reads of {@code v} the steps make in all. */
    static int readers(Var v, List<Step> steps) {
        int n = 0;
        for (Step s : steps) {
            if (s instanceof Step.Elementwise x) {
                n += reads(x.value(), v);
            } else if (s instanceof Step.MatMul x) {
                n += (x.a() == v ? 1 : 0) + (x.b() == v ? 1 : 0) + reads(x.epilogue(), v);
            } else if (s instanceof Step.Outer x) {
                n += reads(x.a(), v) + reads(x.b(), v);
            } else if (s instanceof Step.Sum x) {
                n += reads(x.value(), v);
            } else if (s instanceof Step.Softmax x) {
                n += x.in() == v ? 1 : 0;
            } else if (s instanceof Step.LogSumExp x) {
                n += x.in() == v ? 1 : 0;
            } else if (s instanceof Step.Transpose x) {
                n += x.in() == v ? 1 : 0;
            }
        }
        return n;
    }

    /** Whether any step writes or reads {@code v}. */
    static boolean isUsed(Var v, List<Step> steps) {
        if (readers(v, steps) > 0) {
            return true;
        }
        for (Step s : steps) {
            Var out = s instanceof Step.Elementwise x ? x.out() : s instanceof Step.MatMul x ? x.out()
                    : s instanceof Step.Outer x ? x.out() : s instanceof Step.Sum x ? x.out()
                    : s instanceof Step.Softmax x ? x.out() : s instanceof Step.LogSumExp x ? x.out()
                    : ((Step.Transpose) s).out();
            if (out == v) {
                return true;
            }
        }
        return false;
    }

    private static Elem replace(Elem value, Var v) {
        if (value instanceof Elem.Load l && l.var() == v) {
            return new Elem.Product();
        } else if (value instanceof Elem.Apply a) {
            List<Elem> args = new ArrayList<>();
            for (Elem x : a.args()) {
                args.add(replace(x, v));
            }
            return new Elem.Apply(a.kind(), args);
        }
        return value;
    }
}
