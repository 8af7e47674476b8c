package dev.nnc.runtime;

/**
 * The generated trainer's command line, and the one table of its flags ({@link #FLAGS}): nnc's own
 * train, eval, predict and gradcheck commands declare their options from it and hand what they were
 * given to this parser, so a flag, its help and its checks exist once. A flag not given stays null
 * (the model's value applies).
 */
public final class NncFlags {

    /**
     * One flag: its name, the label of its value (null for a switch), and its help.
     */
    public record Flag(String name, String label, String help) {
        public boolean valued() {
            return label != null;
        }
    }

    /** Every flag, in the order help lists them. */
    public static final java.util.List<Flag> FLAGS = java.util.List.of(
            new Flag("--data", "F", "training data: a .csv file or idx(images, labels)"),
            new Flag("--test-data", "F", "test data, evaluated after every epoch"),
            new Flag("--epochs", "N", "passes over the training data (N >= 1)"),
            new Flag("--batch", "B", "samples per step (B >= 1)"),
            new Flag("--lr", "X", "learning rate (X > 0); the base rate of the train block's schedule"),
            new Flag("--clip-norm", "X", "clip the global gradient norm of every step at X (X > 0), as the train block's clip_norm"),
            new Flag("--seed", "S", "seed of the initial weights and the shuffles (S >= 0)"),
            new Flag("--threads", "T", "threads the large matrix products split over (default: every core)"),
            new Flag("--save", "W.json", "write the trained weights (also on Ctrl-C or SIGTERM: those of the last step)"),
            new Flag("--checkpoint", "F", "write a checkpoint after every epoch; resume from F when it exists"),
            new Flag("--validation-split", "R", "hold out the last fraction R of the training data (0 < R < 1) as validation"),
            new Flag("--early-stopping", "N", "stop after N epochs without a better validation (or test) loss; keep the best"),
            new Flag("--history", "F.csv", "write one row per epoch: loss, validation and test figures, time"),
            new Flag("--plot", "F.png", "draw the training curves (loss, validation and test figures per epoch) as PNG or SVG, by"
                    + " F's extension (nnc train)"),
            new Flag("--weights", "W.json", "start from these weights instead of the initial ones"),
            new Flag("--json", null, "print the result as one JSON document"),
            new Flag("--predict", null, "print the output for every sample of --data"),
            new Flag("--eval", null, "print the loss and accuracy on --data"),
            new Flag("--gradcheck", null, "compare the gradients with central finite differences"),
            new Flag("--elements", "N", "--gradcheck: elements checked of a parameter larger than N, a seeded random sample"
                    + " (default 1000), or all"),
            new Flag("--help", null, "show this help"));

    /** The flag named {@code name}, or null. */
    public static Flag flag(String name) {
        for (Flag f : FLAGS) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    String data;
    String testData;
    Integer epochs;
    Integer batch;
    Double lr;
    Double clipNorm;
    Long seed;
    Integer threads;
    String save;
    String checkpoint;
    Double validationSplit;
    Integer earlyStopping;
    String history;
    String plot;
    /** {@code --elements}: null for the default, {@link Integer#MAX_VALUE} for {@code all}. */
    Integer elements;
    String weights;
    boolean json;
    boolean predict;
    boolean eval;
    boolean gradcheck;
    boolean help;

    private NncFlags() {}

    static NncFlags parse(String... args) {
        NncFlags flags = new NncFlags();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i].equals("-h") ? "--help" : args[i];
            if (!arg.startsWith("--")) {
                throw new NncSupport.UsageError("unexpected argument \"" + arg + "\" (flags start with --; see --help)");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value = eq < 0 ? null : arg.substring(eq + 1);
            Flag flag = flag(name);
            if (flag == null) {
                throw new NncSupport.UsageError("unknown flag " + name + suggestion(name) + " (see --help)");
            }
            boolean valued = flag.valued();
            if (!seen.add(name)) {
                throw new NncSupport.UsageError(name + " is given twice");
            }
            if (!valued) {
                if (value != null) {
                    throw new NncSupport.UsageError(name + " takes no value");
                }
            } else if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new NncSupport.UsageError(name + " needs a value");
                }
                value = args[++i];
            }
            if (valued && value.isEmpty()) {
                throw new NncSupport.UsageError(name + " needs a value");
            }
            flags.set(name, value);
        }
        String[] modes = {flags.predict ? "--predict" : null, flags.eval ? "--eval" : null, flags.gradcheck ? "--gradcheck" : null};
        String first = null;
        for (String mode : modes) {
            if (mode != null && first != null) {
                throw new NncSupport.UsageError(first + " and " + mode + " cannot be combined");
            }
            first = first == null ? mode : first;
        }
        return flags;
    }

    private void set(String name, String value) {
        switch (name) {
            case "--data" -> data = value;
            case "--test-data" -> testData = value;
            case "--save" -> save = value;
            case "--checkpoint" -> checkpoint = value;
            case "--history" -> history = value;
            case "--plot" -> plot = value;
            case "--elements" -> elements = "all".equals(value) ? Integer.MAX_VALUE : (int) whole(name, value, 1, Integer.MAX_VALUE);
            case "--early-stopping" -> earlyStopping = (int) whole(name, value, 1, Integer.MAX_VALUE);
            case "--validation-split" -> {
                double x = NncCsv.isDecimal(value) ? Double.parseDouble(value) : Double.NaN;
                if (!Double.isFinite(x)) {
                    throw new NncSupport.UsageError("--validation-split expects a number, found \"" + value + "\"");
                }
                if (x <= 0 || x >= 1) {
                    throw new NncSupport.UsageError("--validation-split must be between 0 and 1 (a fraction), found " + value);
                }
                validationSplit = x;
            }
            case "--weights" -> weights = value;
            case "--epochs" -> epochs = (int) whole(name, value, 1, Integer.MAX_VALUE);
            case "--batch" -> batch = (int) whole(name, value, 1, Integer.MAX_VALUE);
            case "--seed" -> seed = whole(name, value, 0, Long.MAX_VALUE);
            case "--threads" -> threads = (int) whole(name, value, 1, 256);
            case "--lr" -> lr = positive(name, value);
            case "--clip-norm" -> clipNorm = positive(name, value);
            case "--json" -> json = true;
            case "--predict" -> predict = true;
            case "--eval" -> eval = true;
            case "--gradcheck" -> gradcheck = true;
            case "--help" -> help = true;
            default -> throw new IllegalStateException(name);
        }
    }

    private static double positive(String name, String value) {
        double x = NncCsv.isDecimal(value) ? Double.parseDouble(value) : Double.NaN;
        if (!Double.isFinite(x)) {
            throw new NncSupport.UsageError(name + " expects a number, found \"" + value + "\"");
        }
        if (x <= 0) {
            throw new NncSupport.UsageError(name + " must be greater than 0, found " + value);
        }
        return x;
    }

    private static long whole(String name, String value, long min, long max) {
        if (!value.matches("[+-]?[0-9]+")) {
            throw new NncSupport.UsageError(name + " expects a whole number, found \"" + value + "\"");
        }
        java.math.BigInteger x = new java.math.BigInteger(value);
        if (x.compareTo(java.math.BigInteger.valueOf(min)) < 0) {
            throw new NncSupport.UsageError(name + " must be at least " + min + ", found " + value);
        }
        if (x.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw new NncSupport.UsageError(name + " must be at most " + max + ", found " + value);
        }
        return x.longValue();
    }

    /** " (did you mean --epochs?)" for a name near a flag, else "". */
    private static String suggestion(String name) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Flag flag : FLAGS) {
            names.add(flag.name());
        }
        String best = NncSuggest.nearest(name, names);
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    static String usage(String program) {
        StringBuilder b = new StringBuilder("usage: " + program + " [flags]\n");
        for (Flag f : FLAGS) {
            String left = f.name() + (f.valued() ? " " + f.label() : "");
            b.append("  ").append(left).append(" ".repeat(Math.max(1, 18 - left.length()))).append(f.help()).append('\n');
        }
        return b.toString();
    }
}
