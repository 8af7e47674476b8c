package dev.nnc.report;

import java.util.List;

/**
 * The worked example as a table, already in words and numbers: one column per sample, sections
 * (given, forward, backward, the batch mean) of rows {@code name | expression | value per sample}.
 * A row with one value where there are several samples holds a value of the whole batch (a
 * parameter, a mean), drawn across the sample columns.
 *
 * <pre>
 *   forward: z1 | W1 @ (x * e1) + b1 | [0.5, 0.6]
 * </pre>
 */
public record TraceTable(String description, List<String> columns, List<Section> sections) {

    public TraceTable {
        columns = List.copyOf(columns);
        sections = List.copyOf(sections);
    }

    /** A titled group of rows. */
    public record Section(String title, List<Row> rows) {
        public Section {
            rows = List.copyOf(rows);
        }
    }

    /** {@code name | expression | values}; the expression may be empty. */
    public record Row(String name, String expression, List<String> values) {
        public Row {
            values = List.copyOf(values);
        }
    }
}
