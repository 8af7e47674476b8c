package dev.nnc.lower;

import dev.nnc.optim.Update;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * Every Java name of a generated class, in one place, so that no two can meet:
 * <ul>
 *   <li>the model's names and those derived from them ({@code h1.W} is {@code h1_W}, its gradient
 *       {@code dh1_W}, an adjoint {@code dout}, a value the model leaves unnamed {@code t17}), given
 *       out by {@link #fresh} in a deterministic order, never twice;</li>
 *   <li>the helpers the back end makes from them, only by the functions here: {@code data_x},
 *       {@code bytes_x},
 *       {@code x_rows}, {@code x_evalRows}, {@code dW_left}, {@code flat_A}, {@code matvec_h},
 *       {@code scratch_h}, the optimizer's {@code m_W};</li>
 *   <li>the names the emitter writes itself whatever the model ({@link #RESERVED}: its locals,
 *       parameters and fields, the classes it names) and the optimizer's locals.</li>
 * </ul>
 * {@code fresh} never gives a keyword, a reserved name, or a name of a helper's form (one of its
 * prefixes or suffixes): a value the model calls {@code data_x} becomes {@code _data_x}, one it
 * calls {@code h_rows} becomes {@code h_rows_}. So a helper never meets a model's name, and two
 * helpers never meet either (no prefix begins another).
 */
public final class Names {

    private static final String DATA = "data_";
    private static final String BYTES = "bytes_";
    private static final String FLAT = "flat_";
    private static final String MATVEC = "matvec_";
    private static final String SCRATCH = "scratch_";
    /** The runtime's classes ({@code NncMath}, {@code NncGemm}, ...), which the code names by their simple names. */
    private static final String RUNTIME = "Nnc";
    private static final String ROWS = "_rows";
    private static final String EVAL_ROWS = "_evalRows";
    private static final String LEFT = "_left";
    private static final String RIGHT = "_right";

    private static final List<String> SUFFIXES = List.of(ROWS, EVAL_ROWS, LEFT, RIGHT);

    /**
     * What the emitter declares or names itself, whatever the model: the generated methods' locals
     * and parameters, the class's fields, the classes it names by simple name, and Java's restricted
     * identifiers. Where it can, the emitter takes the .nn's keywords ({@code input}, {@code output},
     * {@code data}, {@code model}), which no name of a model can be. {@code NameClashTest} checks the
     * list against the code.
     */
    public static final Set<String> RESERVED = Set.of(
            // locals and parameters of the generated methods
            "i", "j", "k", "p", "r", "s", "nb", "acc", "acc0", "acc1", "acc2", "acc3", "ai", "row", "lp", "rp", "lse",
            "l", "sum", "scale", "next", "worst", "order", "from", "to", "random", "seed", "values", "labels", "into",
            "rate", "file", "args", "stdout", "stderr", "code", "data", "model", "input", "output", "sample", "samples",
            "max", "e", "m", "value",
            // fields of the generated class
            "lr", "step", "gradientsStale", "SCHEMA", "DEFAULTS", "dropout", "vectorKernels", "use",
            // classes named by their simple names (the runtime's Nnc* classes are a prefix)
            "Math", "Float", "Double", "Integer", "Long", "System", "Arrays", "String", "Object", "Override", "Path",
            "PrintStream", "Model", "GeneratedModel", "Schema", "Dataset", "Tensor", "Work", "Work_", "LearningRateSchedule",
            // the prediction's eight-row axpy passes and transposed weights, and the members of a predictor class
            "acc4", "acc5", "acc6", "acc7", "lp0", "lp1", "lp2", "lp3", "lp4", "lp5", "lp6", "lp7",
            "rp0", "rp1", "rp2", "rp3", "rp4", "rp5", "rp6", "rp7", "weightsVersion", "transposedVersion", "transposeWeights",
            "transpose", "in", "INPUT_SIZE", "OUTPUT_SIZE", "SPARE", "spare", "Scratch",
            // restricted identifiers
            "var", "yield", "record", "sealed", "permits");

    private final Set<String> taken = new HashSet<>(RESERVED);
    private final List<String> prefixes = new ArrayList<>(List.of(DATA, BYTES, FLAT, MATVEC, SCRATCH, RUNTIME));

    /** Names for a trainer whose optimizer steps as {@code update} says: its locals and state buffers are the emitter's too. */
    Names(Update update) {
        for (Update.Buffer b : update.buffers()) {
            prefixes.add(b.name() + "_");
            taken.add(b.name() + "Next");
        }
        update.scalars().forEach(let -> taken.add(let.name()));
        update.element().forEach(let -> taken.add(let.name()));
        // the prediction's transposed copies of weights (TransposedWeights)
        prefixes.add("transposed_");
    }

    /** A new name from {@code base}: its Java form, out of the helpers' forms, numbered when it is taken. */
    String fresh(String base) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            b.append(Character.isJavaIdentifierPart(c) ? c : '_');
        }
        String name = b.length() == 0 || !Character.isJavaIdentifierStart(b.charAt(0)) ? "v" + b : b.toString();
        while (SourceVersion.isKeyword(name) || helperForm(name)) {
            name = prefixes.stream().anyMatch(name::startsWith) ? "_" + name : name + "_";
        }
        String candidate = name;
        for (int n = 2; !taken.add(candidate); n++) {
            candidate = name + n;
        }
        return candidate;
    }

    private boolean helperForm(String name) {
        return prefixes.stream().anyMatch(name::startsWith) || SUFFIXES.stream().anyMatch(name::endsWith);
    }

    /** The data set's values of variable {@code x} (labels of a onehot target), every sample's: {@code data_x}. */
    public static String data(String variable) {
        return DATA + variable;
    }

    /** The data set's values of input {@code x} when it holds them as unsigned bytes (IDX pixels), else null: {@code bytes_x}. */
    public static String dataBytes(String variable) {
        return BYTES + variable;
    }

    /** A matrix value copied into one row, for logsumexp: {@code flat_A}. */
    public static String flat(String value) {
        return FLAT + value;
    }

    /** The row the Vector API's product of {@code h} goes to before its epilogue: {@code matvec_h}. */
    public static String matvec(String value) {
        return MATVEC + value;
    }

    /** The row an axpy product of {@code h} adds up in before its epilogue: {@code scratch_h}. */
    public static String scratch(String value) {
        return SCRATCH + value;
    }

    /** A per-sample value's rows: the training step's ({@code h_rows}) or the evaluation's ({@code h_evalRows}). */
    static String rows(String value, Lowering.Purpose purpose) {
        return value + (purpose == Lowering.Purpose.TRAIN ? ROWS : EVAL_ROWS);
    }

    /** The rows of an outer product's operand that is an expression: {@code dW_left}, {@code dW_right}. */
    static String operandRows(String gradient, boolean left) {
        return gradient + (left ? LEFT : RIGHT);
    }

    /** The optimizer's state buffer {@code m} of parameter {@code W}: {@code m_W}. */
    public static String state(String buffer, String param) {
        return buffer + "_" + param;
    }

    /**
     * The model's field of a trainer compiled with the Vector API's kernels: whether its products and
     * its optimizer's dry run run on them or on the plain kernels ({@code useVectorApi}).
     */
    public static final String VECTOR_KERNELS = "vectorKernels";

    /** The class of one pass's buffers: {@code Work}, unless the model's class has that name. */
    public static String workClass(String className) {
        return className.equals("Work") ? "Work_" : "Work";
    }
}
