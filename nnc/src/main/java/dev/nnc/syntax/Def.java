package dev.nnc.syntax;

import dev.nnc.diag.Pos;
import java.util.List;

/** {@code def name(p1, p2) = body}: a user function, inlined where it is called. */
public record Def(String name, List<String> params, List<Pos> paramPos, Expr body, Pos pos) {
    public Def {
        params = List.copyOf(params);
        paramPos = List.copyOf(paramPos);
    }
}
