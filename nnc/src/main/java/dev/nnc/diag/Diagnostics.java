package dev.nnc.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The collector that every stage reports into. Stages keep going after an error where they can, so
 * that a file's errors are shown all at once; the driver stops after a stage that reported any.
 */
public final class Diagnostics {

    /** Past this many errors, more are almost always consequences of the first ones. */
    public static final int LIMIT = 100;

    private final SourceFile source;
    private final List<Diagnostic> errors = new ArrayList<>();

    public Diagnostics(SourceFile source) {
        this.source = source;
    }

    public SourceFile source() {
        return source;
    }

    public void error(Pos pos, String message) {
        if (errors.size() < LIMIT) {
            errors.add(new Diagnostic(pos, message));
        }
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public int count() {
        return errors.size();
    }

    /** The errors in source order; two at the same place keep the order they were reported in. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> copy = new ArrayList<>(errors);
        copy.sort(Comparator.comparing(Diagnostic::pos));
        return List.copyOf(copy);
    }

    /** Every error as cli.md shows it: {@code file:line:col: error: message}, the line, a caret. */
    public String render() {
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : sorted()) {
            out.append(source.render(d));
        }
        return out.toString();
    }

    /** Throws {@link CompileError} when anything was reported: the end of a stage. */
    public void throwIfErrors() {
        if (hasErrors()) {
            throw new CompileError(this);
        }
    }
}
