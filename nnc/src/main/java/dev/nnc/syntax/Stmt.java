package dev.nnc.syntax;

import dev.nnc.diag.Pos;
import java.util.List;

/** A statement of a model block. {@code pos} is where its name (or keyword) is. */
public sealed interface Stmt {

    Pos pos();

    /**
     * {@code input x[2]}; {@code shape} is null when none was written (a scalar). {@code onehot} is
     * parsed here only to be reported: it belongs to targets.
     */
    record Input(String name, ShapeSpec shape, Pos onehot, Pos pos) implements Stmt {}

    /** {@code target y[10] onehot}. */
    record Target(String name, ShapeSpec shape, boolean onehot, Pos pos) implements Stmt {}

    /** {@code param W[2, 2] = ...} or {@code ~ ...}; {@code init} is null when none was written. */
    record Param(String name, ShapeSpec shape, Init init, Pos pos) implements Stmt {}

    /** {@code const k = 0.5}. */
    record Const(String name, Expr value, Pos pos) implements Stmt {}

    /** {@code name = expr}. */
    record Bind(String name, Expr value, Pos pos) implements Stmt {}

    /** {@code loss = expr}. */
    record Loss(Expr value, Pos pos) implements Stmt {}

    /** {@code output name}. */
    record Output(String name, Pos pos) implements Stmt {}

    /** A {@code def} written inside a model: visible in that model only. */
    record LocalDef(Def def, Pos pos) implements Stmt {}

    /** {@code data { x = [...] ... }}. */
    record Data(List<Setting> settings, Pos pos) implements Stmt {
        public Data {
            settings = List.copyOf(settings);
        }
    }

    /** {@code train { epochs = 10 ... }}. */
    record Train(List<Setting> settings, Pos pos) implements Stmt {
        public Train {
            settings = List.copyOf(settings);
        }
    }

    /** A declared shape, {@code [784]} or {@code [2, 3]}; empty dims for {@code []}. */
    record ShapeSpec(List<Integer> dims, Pos pos) {
        public ShapeSpec {
            dims = List.copyOf(dims);
        }
    }

    /** A parameter's initial value: {@code = expr} (a value) or {@code ~ expr} (a distribution). */
    record Init(boolean random, Expr value, Pos pos) {}

    /** {@code key = value} in a data or train block. */
    record Setting(String key, Expr value, Pos pos) {}
}
