package dev.nnc.diag;

/** One error found in a source file: where and what (a sentence naming expected and found). */
public record Diagnostic(Pos pos, String message) {

    @Override
    public String toString() {
        return pos + ": error: " + message;
    }
}
