package dev.nnc.check;

import dev.nnc.diag.Pos;
import dev.nnc.optim.Optimizer;
import dev.nnc.runtime.LearningRateSchedule;

/**
 * The {@code train} block with every default filled in (language.md sections 8 and 9).
 *
 * @param data     the training data file, or null for the inline data
 * @param test     the test data file, or null
 * @param schedule the learning rate schedule, {@code constant} when the block names none
 * @param clipNorm {@code clip_norm}, the largest global gradient norm of a step, or 0 for none
 */
public record TrainConfig(
        Optimizer optimizer, int epochs, int batch, boolean shuffle, long seed, DType dtype,
        DataSource data, DataSource test, LearningRateSchedule schedule, double clipNorm) {

    public static final TrainConfig DEFAULT = new TrainConfig(
            new Optimizer.Sgd(0.01, 0, false, 0), 1, 1, false, 0, DType.F32, null, null);

    public enum DType { F32, F64 }

    /** Without a schedule or gradient clipping. */
    public TrainConfig(Optimizer optimizer, int epochs, int batch, boolean shuffle, long seed, DType dtype,
            DataSource data, DataSource test) {
        this(optimizer, epochs, batch, shuffle, seed, dtype, data, test, LearningRateSchedule.constant(), 0);
    }

    /** The same settings computed in {@code dtype}: gradcheck runs every model in f64. */
    public TrainConfig withDType(DType dtype) {
        return new TrainConfig(optimizer, epochs, batch, shuffle, seed, dtype, data, test, schedule, clipNorm);
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
