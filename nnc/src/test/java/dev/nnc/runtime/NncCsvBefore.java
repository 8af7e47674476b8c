package dev.nnc.runtime;

/** NncCsv as it was before it parsed bytes (commit ca1bed7), kept as the oracle of NncCsvTest: its values and errors are the ones to keep. */
final class NncCsvBefore {

    private NncCsvBefore() {}

    /**
     * One sample per line: every input flattened, then every target (one integer label column for
     * a onehot target), separated by commas. A first line that is not all numbers is a header.
     * Two passes (count, then parse) so the arrays are allocated once at their final size.
     */
    static NncSupport.Dataset read(java.nio.file.Path file, NncSupport.Schema schema, boolean f64) {
        String shown = file.toString();
        int samples = countCsvSamples(file, shown);
        NncSupport.Dataset data = NncSupport.Dataset.allocate(schema, samples, f64);
        int lineNo = 0;
        int blank = 0;
        int sample = 0;
        try (java.io.BufferedReader in = NncSupport.textReader(file, shown)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    blank = blank == 0 ? lineNo : blank;
                    continue;
                }
                if (blank != 0) {
                    throw new NncSupport.DataError(shown + ":" + blank + ": empty line (only trailing empty lines are allowed)");
                }
                if (lineNo == 1 && isHeader(line)) {
                    continue;
                }
                if (sample == samples) {
                    throw new NncSupport.DataError(shown + ": the file changed while it was read");
                }
                csvRow(line, shown + ":" + lineNo + ": ", schema, data, sample++);
            }
        } catch (java.io.IOException e) {
            throw NncSupport.cannotRead(shown, e);
        }
        if (sample != samples) {
            throw new NncSupport.DataError(shown + ": the file changed while it was read");
        }
        return data;
    }

    private static int countCsvSamples(java.nio.file.Path file, String shown) {
        int lines = 0;
        boolean header = false;
        try (java.io.BufferedReader in = NncSupport.textReader(file, shown)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    header |= lines == 0 && isHeader(line);
                    lines++;
                }
            }
        } catch (java.io.IOException e) {
            throw NncSupport.cannotRead(shown, e);
        }
        if (lines == 0) {
            throw new NncSupport.DataError(shown + ": the file is empty");
        }
        if (header && lines == 1) {
            throw new NncSupport.DataError(shown + ": no samples after the header line");
        }
        return header ? lines - 1 : lines;
    }

    /** The columns of the first sample line (after a header), or -1 when the file holds none. */
    static int firstSampleColumns(java.nio.file.Path file) {
        String shown = file.toString();
        try (java.io.BufferedReader in = NncSupport.textReader(file, shown)) {
            boolean first = true;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                if (!(first && isHeader(line))) {
                    return line.split(",", -1).length;
                }
                first = false;
            }
            return -1;
        } catch (java.io.IOException e) {
            throw NncSupport.cannotRead(shown, e);
        }
    }

    private static boolean isHeader(String line) {
        int start = 0;
        while (true) {
            int end = fieldEnd(line, start);
            if (!isDecimal(line.substring(start, end).strip())) {
                return true;
            }
            if (end == line.length()) {
                return false;
            }
            start = end + 1;
        }
    }

    private static void csvRow(String line, String at, NncSupport.Schema schema, NncSupport.Dataset data, int sample) {
        int columns = schema.columns();
        int found = 1;
        for (int i = 0; i < line.length(); i++) {
            found += line.charAt(i) == ',' ? 1 : 0;
        }
        if (found != columns) {
            throw new NncSupport.DataError(at + "expected " + columns + " columns, found " + found);
        }
        int start = 0;
        int column = 1;
        for (int v = 0; v < schema.count(); v++) {
            int size = schema.onehot(v) ? 1 : schema.sizes[v];
            int base = sample * size;
            for (int i = 0; i < size; i++, column++) {
                int end = fieldEnd(line, start);
                String token = line.substring(start, end).strip();
                start = end + 1;
                if (!isDecimal(token)) {
                    throw new NncSupport.DataError(at + "column " + column + " is not a number: \"" + token + "\"");
                }
                if (schema.onehot(v)) {
                    data.labels[v][sample] = label(token, schema.classes[v], at);
                } else if (data.f64 != null) {
                    double d = Double.parseDouble(token);
                    if (Double.isInfinite(d)) {
                        throw new NncSupport.DataError(at + "column " + column + " is out of range: \"" + token + "\"");
                    }
                    data.f64[v][base + i] = d;
                } else {
                    float f = Float.parseFloat(token);
                    if (Float.isInfinite(f)) {
                        throw new NncSupport.DataError(at + "column " + column + " is out of range for f32: \"" + token + "\"");
                    }
                    data.f32[v][base + i] = f;
                }
            }
        }
    }

    private static int label(String token, int classes, String at) {
        double d = Double.parseDouble(token);
        if (d != Math.rint(d)) {
            throw new NncSupport.DataError(at + "label " + token + " is not a whole number");
        }
        if (d < 0 || d >= classes) {
            throw new NncSupport.DataError(at + "label " + token + " is out of range for onehot[" + classes + "]");
        }
        return (int) d;
    }

    private static int fieldEnd(String line, int start) {
        int comma = line.indexOf(',', start);
        return comma < 0 ? line.length() : comma;
    }

    /** Plain decimal numbers only: {@code -1}, {@code 2.5}, {@code .5}, {@code 1e-3}; no NaN, hex or suffixes. */
    static boolean isDecimal(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            for (i++; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }
}
