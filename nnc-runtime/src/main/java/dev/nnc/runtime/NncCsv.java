package dev.nnc.runtime;

/**
 * CSV data files (language.md section 7), read in two passes into one flat array per variable.
 * The file is read as bytes: a line of ASCII characters (every line of an ordinary data file) is
 * split and parsed straight from its bytes, with Clinger's fast path for short decimals; any other
 * line is decoded as UTF-8 (strictly: malformed input is an error) and read as a string. Both give
 * exactly the values and the errors of {@code strip()}, {@link #isDecimal} and
 * {@code Float.parseFloat}/{@code Double.parseDouble} on each field.
 */
public final class NncCsv {

    private NncCsv() {}

    /** Bytes read at a time; a longer line grows the buffer to hold it whole. */
    static final int BUFFER = 1 << 20;

    /** Powers of ten exact in float (5^10 < 2^24). */
    private static final float[] F10 = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
    /** Powers of ten exact in double (5^22 < 2^53). */
    private static final double[] D10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * One sample per line: every input flattened, then every target (one integer label column for
     * a onehot target), separated by commas. A first line that is not all numbers is a header.
     * Two passes (count, then parse) so the arrays are allocated once at their final size; the
     * first also checks that the whole file is UTF-8.
     */
    static NncSupport.Dataset read(java.nio.file.Path file, NncSupport.Schema schema, boolean f64) {
        String shown = file.toString();
        int samples = countCsvSamples(file, shown);
        NncSupport.Dataset data = NncSupport.Dataset.allocate(schema, samples, f64);
        AsciiRows rows = new AsciiRows(schema, data, shown);
        int lineNo = 0;
        int blank = 0;
        int sample = 0;
        try (Lines in = new Lines(file, shown)) {
            while (in.next()) {
                lineNo++;
                String line = in.ascii ? null : in.text();
                if (line == null ? in.blankAscii() : line.isBlank()) {
                    blank = blank == 0 ? lineNo : blank;
                    continue;
                }
                if (blank != 0) {
                    throw new NncSupport.DataError(shown + ":" + blank + ": empty line (only trailing empty lines are allowed)");
                }
                if (lineNo == 1 && isHeader(line == null ? in.latin1() : line)) {
                    continue;
                }
                if (sample == samples) {
                    throw new NncSupport.DataError(shown + ": the file changed while it was read");
                }
                if (line == null) {
                    rows.row(in.buf, in.start, in.end, sample++, lineNo);
                } else {
                    csvRow(line, shown + ":" + lineNo + ": ", schema, data, sample++);
                }
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
        try (Lines in = new Lines(file, shown)) {
            while (in.next()) {
                String line = in.ascii ? null : in.text(); // decoded even when blank: the whole file must be UTF-8
                if (line == null ? !in.blankAscii() : !line.isBlank()) {
                    header |= lines == 0 && isHeader(line == null ? in.latin1() : line);
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

    /**
     * Whether {@code c}, an ASCII character, is white space to {@code strip()} and {@code isBlank()}
     * ({@link Character#isWhitespace}): tab, line feed, vertical tab, form feed, carriage return,
     * the separators 1C to 1F, and space.
     */
    static boolean space(int c) {
        return c >= 0 && c <= ' ' && (0x1_f000_3e00L >>> c & 1) != 0; // bits 9 to 13 and 28 to 32
    }

    /**
     * The lines of a file (gunzipped when it is gzip), as {@code BufferedReader.readLine} splits
     * them (at {@code \n}, {@code \r} or {@code \r\n}; no line after a final terminator), without a
     * leading byte order mark. Each is bytes {@code buf[start, end)}; {@code ascii} when all are.
     */
    static final class Lines implements java.io.Closeable {
        private static final java.lang.invoke.VarHandle LONGS =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        private final java.io.InputStream in;
        private final java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        byte[] buf;
        int start;
        int end;
        boolean ascii;
        private int pos;
        private int limit;
        private boolean eof;
        private boolean skipLineFeed;

        Lines(java.nio.file.Path file, String shown) {
            this(file, shown, BUFFER);
        }

        Lines(java.nio.file.Path file, String shown, int buffer) {
            this.in = NncSupport.open(file, shown);
            try {
                long size = java.nio.file.Files.size(file); // a small file, a small buffer (gzip: it may grow)
                this.buf = new byte[(int) Math.min(buffer, Math.max(64, size + 8))];
                while (limit < 3 && fill()) {
                    // the first bytes, to see a byte order mark
                }
            } catch (java.io.IOException e) {
                close();
                throw NncSupport.cannotRead(shown, e);
            }
            if (limit >= 3 && buf[0] == (byte) 0xef && buf[1] == (byte) 0xbb && buf[2] == (byte) 0xbf) {
                pos = 3;
            }
        }

        /** Moves to the next line; false at the end of the file. */
        boolean next() throws java.io.IOException {
            if (skipLineFeed) {
                if (pos == limit && !fill()) {
                    return false;
                }
                if (buf[pos] == '\n') {
                    pos++;
                }
                skipLineFeed = false;
            }
            int i = pos;
            long bits = 0; // the bytes of the line ORed (8 at a time): ASCII when no high bit is set
            while (true) {
                byte[] b = buf;
                int n = limit;
                for (; i <= n - 8; i += 8) { // eight bytes at a time while none is \n or \r
                    long w = (long) LONGS.get(b, i);
                    long lf = w ^ 0x0a0a0a0a0a0a0a0aL;
                    long cr = w ^ 0x0d0d0d0d0d0d0d0dL;
                    if ((((lf - 0x0101010101010101L) & ~lf | (cr - 0x0101010101010101L) & ~cr) & 0x8080808080808080L) != 0) {
                        break;
                    }
                    bits |= w;
                }
                for (; i < n; i++) {
                    byte c = b[i];
                    if (c == '\n' || c == '\r') {
                        break;
                    }
                    bits |= c;
                }
                if (i < n) {
                    start = pos;
                    end = i;
                    ascii = (bits & 0x8080808080808080L) == 0;
                    skipLineFeed = b[i] == '\r';
                    pos = i + 1;
                    return true;
                }
                int scanned = i - pos;
                if (!fill()) {
                    if (pos == limit) {
                        return false;
                    }
                    start = pos;
                    end = limit;
                    ascii = (bits & 0x8080808080808080L) == 0;
                    pos = limit;
                    return true;
                }
                i = pos + scanned;
            }
        }

        /** Reads more bytes after {@code limit}, keeping those from {@code pos} on (moved to 0); false at the end. */
        private boolean fill() throws java.io.IOException {
            if (eof) {
                return false;
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(16, (int) Math.min(Integer.MAX_VALUE - 8, 2L * buf.length)));
            }
            int n = 0;
            while (n == 0) {
                n = in.read(buf, limit, buf.length - limit);
            }
            if (n < 0) {
                eof = true;
                return false;
            }
            limit += n;
            return true;
        }

        /** Whether the line, all ASCII, is only white space. */
        boolean blankAscii() {
            for (int i = start; i < end; i++) {
                if (!space(buf[i])) {
                    return false;
                }
            }
            return true;
        }

        /** The line, all ASCII, as a string. */
        String latin1() {
            return new String(buf, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        /** The line decoded as UTF-8; malformed bytes throw a {@link java.nio.charset.CharacterCodingException}. */
        String text() throws java.nio.charset.CharacterCodingException {
            return utf8.decode(java.nio.ByteBuffer.wrap(buf, start, end - start)).toString();
        }

        @Override
        public void close() {
            NncSupport.closeQuietly(in);
        }
    }

    /**
     * The samples of ASCII lines, parsed from their bytes into a data set: the values and the
     * errors of {@link #csvRow} on the same line, without making strings (but for an error).
     */
    static final class AsciiRows {
        private final NncSupport.Schema schema;
        private final NncSupport.Dataset data;
        private final String shown;
        private final int columns;
        /** Where the field parsed last ends: at the comma after it or at the end of the line. */
        private int next;

        AsciiRows(NncSupport.Schema schema, NncSupport.Dataset data, String shown) {
            this.schema = schema;
            this.data = data;
            this.shown = shown;
            this.columns = schema.columns();
        }

        void row(byte[] b, int s, int e, int sample, int lineNo) {
            int p = s;
            int column = 1;
            for (int v = 0; v < schema.count(); v++) {
                if (schema.onehot(v)) {
                    double d = p > e ? Double.NaN : number(b, p, e, false);
                    if (d != d || d != Math.rint(d) || d < 0 || d >= schema.classes[v]) {
                        fail(b, s, e, p, column, lineNo);
                    }
                    data.labels[v][sample] = (int) d;
                    p = next + 1;
                    column++;
                } else if (data.f64 != null) {
                    double[] out = data.f64[v];
                    int size = schema.sizes[v];
                    int base = sample * size;
                    for (int i = 0; i < size; i++, column++) {
                        double d = p > e ? Double.NaN : twice(b, p, e);
                        if (d != d || Double.isInfinite(d)) {
                            fail(b, s, e, p, column, lineNo);
                        }
                        out[base + i] = d;
                        p = next + 1;
                    }
                } else {
                    float[] out = data.f32[v];
                    int size = schema.sizes[v];
                    int base = sample * size;
                    for (int i = 0; i < size; i++, column++) {
                        float f = p > e ? Float.NaN : single(b, p, e);
                        if (f != f || Float.isInfinite(f)) {
                            fail(b, s, e, p, column, lineNo);
                        }
                        out[base + i] = f;
                        p = next + 1;
                    }
                }
            }
            if (p != e + 1) {
                fail(b, s, e, p, column, lineNo);
            }
        }

        /**
         * Throws the error {@link #csvRow} gives for line {@code b[s, e)} whose field {@code column}
         * starting at {@code p} did not parse (or, after the last column, that it has more fields).
         */
        private void fail(byte[] b, int s, int e, int p, int column, int lineNo) {
            String at = shown + ":" + lineNo + ": ";
            int found = 1;
            for (int i = s; i < e; i++) {
                found += b[i] == ',' ? 1 : 0;
            }
            if (found != columns || p > e) {
                throw new NncSupport.DataError(at + "expected " + columns + " columns, found " + found);
            }
            int q = p;
            while (q < e && b[q] != ',') {
                q++;
            }
            String token = new String(b, p, q - p, java.nio.charset.StandardCharsets.ISO_8859_1).strip();
            int v = 0;
            for (int c = column; c > (schema.onehot(v) ? 1 : schema.sizes[v]); v++) {
                c -= schema.onehot(v) ? 1 : schema.sizes[v];
            }
            if (!isDecimal(token)) {
                throw new NncSupport.DataError(at + "column " + column + " is not a number: \"" + token + "\"");
            }
            if (schema.onehot(v)) {
                label(token, schema.classes[v], at);
            }
            throw new NncSupport.DataError(at + "column " + column + " is out of range"
                    + (data.f64 != null ? "" : " for f32") + ": \"" + token + "\"");
        }

        /**
         * {@link #number} as a float: this short method (inlined into the loop over a row) takes
         * the common plain decimals, {@code [-]digits[.digits]} ended by a comma or the line, of at
         * most 18 digits and 10 decimals, whose significand is below 2^24; it leaves every other
         * field to {@link #number}.
         */
        float single(byte[] b, int p, int e) {
            int i = p;
            boolean negative = i < e && b[i] == '-';
            i += negative ? 1 : 0;
            int from = i;
            long m = 0;
            int d;
            for (; i < e && (d = b[i] - '0') >= 0 && d <= 9; i++) {
                m = m * 10 + d;
            }
            int digits = i - from;
            int fraction = 0;
            if (i < e && b[i] == '.') {
                from = ++i;
                for (; i < e && (d = b[i] - '0') >= 0 && d <= 9; i++) {
                    m = m * 10 + d;
                }
                fraction = i - from;
                digits += fraction;
            }
            if ((i == e || b[i] == ',') && digits > 0 && digits <= 18 && fraction <= 10 && m < 1L << 24) {
                next = i;
                float f = (float) m / F10[fraction];
                return negative ? -f : f;
            }
            return (float) number(b, p, e, true);
        }

        /** As {@link #single}, a double: significands below 2^53, at most 18 digits and 22 decimals. */
        double twice(byte[] b, int p, int e) {
            int i = p;
            boolean negative = i < e && b[i] == '-';
            i += negative ? 1 : 0;
            int from = i;
            long m = 0;
            int d;
            for (; i < e && (d = b[i] - '0') >= 0 && d <= 9; i++) {
                m = m * 10 + d;
            }
            int digits = i - from;
            int fraction = 0;
            if (i < e && b[i] == '.') {
                from = ++i;
                for (; i < e && (d = b[i] - '0') >= 0 && d <= 9; i++) {
                    m = m * 10 + d;
                }
                fraction = i - from;
                digits += fraction;
            }
            if ((i == e || b[i] == ',') && digits > 0 && digits <= 18 && m < 1L << 53) {
                next = i;
                double x = (double) m / D10[fraction];
                return negative ? -x : x;
            }
            return number(b, p, e, false);
        }

        /**
         * The number in the field of {@code b} from {@code p} to the next comma or {@code e}, as
         * {@link #isDecimal} and {@code Float.parseFloat} ({@code single}, the float widened) or
         * {@code Double.parseDouble} take its stripped text; NaN when it is not a decimal. Sets
         * {@link #next} to the end of the field. A significand {@code m} of at most 18 digits and
         * value {@code m * 10^k} is one correctly rounded division or product of two numbers exact
         * in the precision (Clinger's fast path) when {@code m < 2^24} and {@code |k| <= 10} (float)
         * or {@code m < 2^53} and {@code |k| <= 22} (double); any other number is parsed by the JDK.
         */
        double number(byte[] b, int p, int e, boolean single) {
            int i = p;
            while (i < e && space(b[i])) {
                i++;
            }
            int a = i;
            boolean negative = false;
            if (i < e && (b[i] == '-' || b[i] == '+')) {
                negative = b[i] == '-';
                i++;
            }
            long m = 0;
            int significant = 0;
            int from = i;
            for (; i < e; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                m = m * 10 + d;
                significant += m != 0 ? 1 : 0;
            }
            int digits = i - from;
            int fraction = 0;
            if (i < e && b[i] == '.') {
                from = ++i;
                for (; i < e; i++) {
                    int d = b[i] - '0';
                    if (d < 0 || d > 9) {
                        break;
                    }
                    m = m * 10 + d;
                    significant += m != 0 ? 1 : 0;
                }
                fraction = i - from;
                digits += fraction;
            }
            if (digits == 0) {
                return Double.NaN;
            }
            int exponent = 0;
            if (i < e && (b[i] | 0x20) == 'e') {
                i++;
                boolean down = false;
                if (i < e && (b[i] == '-' || b[i] == '+')) {
                    down = b[i] == '-';
                    i++;
                }
                from = i;
                for (; i < e; i++) {
                    int d = b[i] - '0';
                    if (d < 0 || d > 9) {
                        break;
                    }
                    exponent = exponent < 100_000 ? exponent * 10 + d : exponent;
                }
                if (i == from) {
                    return Double.NaN;
                }
                exponent = down ? -exponent : exponent;
            }
            int z = i;
            while (i < e && space(b[i])) {
                i++;
            }
            if (i < e && b[i] != ',') {
                return Double.NaN;
            }
            next = i;
            int k = exponent - fraction;
            if (single) {
                if (significant <= 18 && m < 1L << 24 && k >= -10 && k <= 10) {
                    float f = (float) m;
                    f = k < 0 ? f / F10[-k] : f * F10[k];
                    return negative ? -f : f;
                }
                return Float.parseFloat(new String(b, a, z - a, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            if (significant <= 18 && m < 1L << 53 && k >= -22 && k <= 22) {
                double d = (double) m;
                d = k < 0 ? d / D10[-k] : d * D10[k];
                return negative ? -d : d;
            }
            return Double.parseDouble(new String(b, a, z - a, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }
}
