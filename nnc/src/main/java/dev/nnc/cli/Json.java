package dev.nnc.cli;

import dev.nnc.runtime.Support;

/**
 * Writes the {@code --json} documents. The generated trainers print theirs with the same code
 * ({@link Support#json}), so nnc's results and a trainer's read alike: maps in their iteration
 * order, numbers in full precision (shortest round-trip form), a non-finite number refused.
 */
public final class Json {

    private Json() {}

    public static String write(Object value) {
        return Support.json(value);
    }
}
