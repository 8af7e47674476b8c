package dev.nnc.syntax;

import dev.nnc.diag.Pos;
import java.util.List;

/** {@code model name { statements }}. */
public record Model(String name, List<Stmt> statements, Pos pos) {
    public Model {
        statements = List.copyOf(statements);
    }
}
