package dev.nnc.syntax;

import dev.nnc.diag.SourceFile;
import java.util.List;

/** A whole {@code .nn} file: its top-level defs and models, in source order. */
public record Program(SourceFile source, List<Def> defs, List<Model> models) {
    public Program {
        defs = List.copyOf(defs);
        models = List.copyOf(models);
    }
}
