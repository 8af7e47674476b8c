package dev.nnc.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line of {@link Train}: {@code MODEL.nn --master URL --mode sync|average --data F
 * [--test-data F] [--epochs N] [--batch B] [--lr X] [--save W.json] [--checkpoint P]
 * [--conf key=value]... [--json]}. Unset numbers are null: the {@code .nn}'s train block decides.
 */
record TrainFlags(Path model, String master, String mode, String data, String testData, Integer epochs, Integer batch, Double lr,
        Path save, String checkpoint, Map<String, String> conf, boolean json) {

    static final String USAGE = "usage: Train MODEL.nn [--master URL] [--mode sync|average] [--data F] [--test-data F] [--epochs N]"
            + " [--batch B] [--lr X] [--save W.json] [--checkpoint P] [--conf key=value]... [--json]";

    /** The flags of {@code args}; a wrong one is an {@link IllegalArgumentException} that names it. */
    static TrainFlags parse(String[] args) {
        Path model = null;
        String master = null;
        String mode = "sync";
        String data = null;
        String test = null;
        Integer epochs = null;
        Integer batch = null;
        Double lr = null;
        Path save = null;
        String checkpoint = null;
        Map<String, String> conf = new LinkedHashMap<>();
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json" -> json = true;
                case "--master" -> master = value(args, ++i, a);
                case "--mode" -> {
                    mode = value(args, ++i, a);
                    if (!mode.equals("sync") && !mode.equals("average")) {
                        throw new IllegalArgumentException("--mode is sync or average, not " + mode);
                    }
                }
                case "--data" -> data = value(args, ++i, a);
                case "--test-data" -> test = value(args, ++i, a);
                case "--epochs" -> epochs = positive(value(args, ++i, a), a);
                case "--batch" -> batch = positive(value(args, ++i, a), a);
                case "--lr" -> lr = rate(value(args, ++i, a));
                case "--save" -> save = Path.of(value(args, ++i, a));
                case "--checkpoint" -> checkpoint = value(args, ++i, a);
                case "--conf" -> {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--conf takes key=value, not " + kv);
                    }
                    conf.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default -> {
                    if (a.startsWith("-") || model != null) {
                        throw new IllegalArgumentException("unknown argument " + a);
                    }
                    model = Path.of(a);
                }
            }
        }
        if (model == null) {
            throw new IllegalArgumentException("no MODEL.nn given");
        }
        return new TrainFlags(model, master, mode, data, test, epochs, batch, lr, save, checkpoint, conf, json);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int positive(String text, String flag) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(flag + " takes a whole number from 1, not " + text);
    }

    private static double rate(String text) {
        try {
            double lr = Double.parseDouble(text);
            if (lr > 0 && Double.isFinite(lr)) {
                return lr;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--lr takes a positive number, not " + text);
    }
}
