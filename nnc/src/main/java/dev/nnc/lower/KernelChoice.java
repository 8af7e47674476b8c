package dev.nnc.lower;

/**
 * Which loop nest runs each matrix product of a step over rows, chosen from the sizes the model
 * fixes: the one place the trainer program decides it. {@link BatchLowering} records the choice in
 * each {@link RowStep.Kernel}, {@link LoopPrinter} prints it, the emitter writes the call. Every
 * choice gives the same bits as {@link #GEMM} (each element's terms added in the same order), so
 * it changes speed, never results; nor does it depend on the number of threads.
 *
 * <pre>
 *   nt, 4 &lt;= m &lt; 16 columns, 16 rows or more   SAMPLES   axpy over the block's samples   (784-10 at batch 64: 10 outputs)
 *   nt, m &lt; 16 columns otherwise                 DOT       dot products, four rows at once (100000-1: one output)
 *   tn, n &lt; 16 columns, 64 rows or more   NARROW    axpy over the gradient's rows   (dW of 2-100000: 100000 x 2)
 *   anything else                          GEMM      NncGemm (NncGemmVector with the Vector API, where each side is 16 or more)
 * </pre>
 *
 * It also decides, per parameter, whether the optimizer's dry run uses the Vector API's row tests
 * ({@link #vectorUpdate}). A trainer compiled with the Vector API's kernels keeps the plain call
 * beside each of those, and each training run takes one or the other from its planned work
 * ({@code NncTraining.vectorPays}): the choice here is what a run may take, that one whether it does.
 *
 * The general kernels update rows of C by axpy loops over its columns, which the JIT vectorizes; with
 * fewer than 16 columns those loops are shorter than two vectors, and their per-row cost dominates.
 */
public enum KernelChoice {
    /** The general kernels: rows of C updated by axpy loops over its columns, blocked. */
    GEMM("gemm"),
    /** nt with a narrow output over many rows: columns of C by axpy loops over the samples of A transposed. */
    SAMPLES("samples"),
    /** nt with a narrow output over few rows: dot products of rows of A and B, four rows of A at a time. */
    DOT("dot"),
    /** tn into a gradient of few columns and many rows: axpy loops over its rows, C transposed. */
    NARROW("narrow");

    /** Fewer columns than this make a product narrow: one AVX-512 vector of floats. */
    public static final int NARROW_COLUMNS = 16;
    /** Rows of samples from which a narrow nt runs over them ({@link #SAMPLES}) rather than by dot products. */
    public static final int MANY_ROWS = 16;
    /**
     * Columns from which a narrow nt over many rows runs over the samples: {@link #SAMPLES} transposes
     * A (rows x n) first, which only the m columns' products pay back; with fewer (the 100000-1
     * output's one) the transposition costs as much as the product, and dot products run it.
     */
    public static final int SAMPLES_MIN_COLUMNS = 4;
    /** Rows of a narrow gradient from which transposing it pays. */
    public static final int TALL_GRADIENT = 64;

    private final String label;

    KernelChoice(String label) {
        this.label = label;
    }

    /** The name {@link LoopPrinter} prints. */
    public String label() {
        return label;
    }

    /** The smallest side (rows of the block, terms, columns) of a product the Vector API's kernels run. */
    public static final int VECTOR_MIN_SIDE = 16;

    /**
     * Whether a {@link #GEMM} product runs on the Vector API's kernels when the trainer is compiled
     * with them ({@code --vector}): only when each side has at least {@value #VECTOR_MIN_SIDE}. They
     * copy B (and A for tn) into panels first, four rows and four vectors at a time; with fewer
     * output rows than that (tn into a gradient of 10 rows, the 784-10 model's) the copies cost more
     * than the kernel gains, and the plain kernel runs it (784-10 at batch 64: 120,000-220,000
     * samples/s on the Vector API against 540,000 plain).
     */
    public static boolean vector(int capacity, int n, int m) {
        return capacity >= VECTOR_MIN_SIDE && n >= VECTOR_MIN_SIDE && m >= VECTOR_MIN_SIDE;
    }

    /**
     * Whether the optimizer's dry run ({@code nonFiniteStep}) tests a parameter's rows of
     * {@code length} elements with the Vector API's row tests ({@code NncGemmVector.adamFinite} ...)
     * when the trainer has them: only rows of {@value #VECTOR_MIN_SIDE} or more, a vector of floats;
     * a shorter row (the 100000 x 2 matrix's) would run each test on a vector it mostly masks off, and
     * gets the plain dry run, a max reduction the JIT compiles for the row.
     */
    public static boolean vectorUpdate(int length) {
        return length >= VECTOR_MIN_SIDE;
    }

    /**
     * The loop nest of a product of {@code form} over blocks of at most {@code capacity} rows,
     * reducing {@code n} terms into {@code m} columns (tn: into an [n][m] gradient).
     */
    public static KernelChoice of(RowStep.Form form, int capacity, int n, int m) {
        return switch (form) {
            case NT -> m >= NARROW_COLUMNS ? GEMM : capacity >= MANY_ROWS && m >= SAMPLES_MIN_COLUMNS ? SAMPLES : DOT;
            case TN -> m < NARROW_COLUMNS && n >= TALL_GRADIENT ? NARROW : GEMM;
            case NN -> GEMM;
        };
    }
}
