package dev.nnc.diag;

/** A stage ended with errors. Carries them all, so the caller can print them and exit 1. */
public final class CompileError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Diagnostics diagnostics;

    public CompileError(Diagnostics diagnostics) {
        super(diagnostics.count() + " error(s) in " + diagnostics.source().path(), null, false, false);
        this.diagnostics = diagnostics;
    }

    /** A single error at a place, for callers that stop at the first. */
    public static CompileError at(SourceFile source, Pos pos, String message) {
        Diagnostics d = new Diagnostics(source);
        d.error(pos, message);
        return new CompileError(d);
    }

    public Diagnostics diagnostics() {
        return diagnostics;
    }
}
