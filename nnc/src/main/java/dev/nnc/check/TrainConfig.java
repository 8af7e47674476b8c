package dev.nnc.check;

import dev.nnc.diag.Pos;
import dev.nnc.optim.Optimizer;

/**
 * The {@code train} block with every default filled in (language.md section 8).
 *
 * @param data the training data file, or null for the inline data
 * @param test the test data file, or null
 */
public record TrainConfig(
        Optimizer optimizer, int epochs, int batch, boolean shuffle, long seed, DType dtype,
        DataSource data, DataSource test) {

    public static final TrainConfig DEFAULT = new TrainConfig(
            new Optimizer.Sgd(0.01, 0, false, 0), 1, 1, false, 0, DType.F32, null, null);

    public enum DType { F32, F64 }

    /** The same settings computed in {@code dtype}: gradcheck runs every model in f64. */
    public TrainConfig withDType(DType dtype) {
        return new TrainConfig(optimizer, epochs, batch, shuffle, seed, dtype, data, test);
    }

    /** Where samples come from. Paths are as written, relative to the {@code .nn} file. */
    public sealed interface DataSource {
        Pos pos();

        /** As a trainer's {@code --data} flag spells it: {@code path.csv} or {@code idx("images", "labels")}. */
        default String text() {
            if (this instanceof Idx idx) {
                return "idx(\"" + idx.images() + "\", \"" + idx.labels() + "\")";
            }
            return ((Csv) this).path();
        }

        /** The files it names, as written. */
        default java.util.List<String> paths() {
            return this instanceof Idx idx ? java.util.List.of(idx.images(), idx.labels()) : java.util.List.of(((Csv) this).path());
        }

        record Csv(String path, Pos pos) implements DataSource {}

        record Idx(String images, String labels, Pos pos) implements DataSource {}
    }
}
