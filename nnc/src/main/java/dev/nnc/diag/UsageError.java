package dev.nnc.diag;

/** The command line asks for something the file cannot give (a model it does not have): exit 2. */
public final class UsageError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UsageError(String message) {
        super(message, null, false, false);
    }
}
