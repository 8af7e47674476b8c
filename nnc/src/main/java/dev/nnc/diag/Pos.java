package dev.nnc.diag;

/** A place in a source file: 1-based line and column (column counts UTF-16 chars, as editors do). */
public record Pos(int line, int column) implements Comparable<Pos> {

    /** For things that have no place in the source, such as a whole file that is empty. */
    public static final Pos START = new Pos(1, 1);

    @Override
    public int compareTo(Pos o) {
        return line != o.line ? Integer.compare(line, o.line) : Integer.compare(column, o.column);
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
