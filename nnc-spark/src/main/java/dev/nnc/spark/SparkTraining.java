package dev.nnc.spark;

import dev.nnc.runtime.DataParallel;
import dev.nnc.runtime.LearningRateSchedule;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.TrainOptions;
import dev.nnc.runtime.TrainResult;
import dev.nnc.runtime.EpochStats;
import java.util.function.BiConsumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The epoch loops of the two modes over cached {@link Block}s, the model on the driver.
 * <ul>
 *   <li>sync: per global mini-batch (the rows {@code nnc train} takes as its k-th batch), broadcast
 *       the weights, sum the partitions' gradients of their rows of the batch with
 *       {@code treeAggregate}, one {@link Model#apply} on the driver;
 *   <li>average: per round, broadcast the whole training state, each partition trains its rows of
 *       the round from it ({@link Model#fit}), the states are averaged, weighted by samples.
 * </ul>
 */
final class SparkTraining {

    /** One run's settings, resolved from the params and the {@code .nn}. */
    record Plan(String className, String mode, int epochs, int batch, double lr, long seed, boolean shuffle, int averagingFrequency) {}


    private SparkTraining() {}

    /**
     * Trains {@code model} (on the driver) with epochs {@code firstEpoch} to {@code plan.epochs()},
     * telling {@code epochDone} after each its figures and the model.
     */
    static void run(Model model, JavaRDD<Block> blocks, int samples, Plan plan, int firstEpoch, BiConsumer<EpochStats, Model> epochDone) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        int largest = plan.mode().equals("average") ? blocks.map(Block::size).reduce(Math::max) : 0;
        for (int epoch = firstEpoch; epoch <= plan.epochs(); epoch++) {
            long start = System.nanoTime();
            int[] order = DataParallel.order(plan.seed(), epoch, samples, plan.shuffle());
            int[] rank = new int[samples];
            for (int i = 0; i < samples; i++) {
                rank[order[i]] = i;
            }
            Broadcast<int[]> ranks = sc.broadcast(rank);
            // the train block's schedule, per epoch from the plan's rate, as Model.fit steps it
            double rate = DataParallel.rate(model, plan.lr(), epoch);
            DataParallel.setLearningRate(model, rate);
            double lossSum = plan.mode().equals("sync") ? syncEpoch(model, blocks, samples, plan, ranks)
                    : averageEpoch(model, blocks, plan, ranks, largest, rate);
            ranks.destroy();
            double seconds = (System.nanoTime() - start) / 1e9;
            epochDone.accept(DataParallel.epoch(epoch, lossSum / samples, seconds, samples / Math.max(1e-9, seconds), Double.NaN, Double.NaN),
                    model);
        }
    }

    private static double syncEpoch(Model model, JavaRDD<Block> blocks, int samples, Plan plan, Broadcast<int[]> ranks) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        String className = plan.className();
        double clipNorm = DataParallel.clipNorm(model);
        double lossSum = 0;
        for (long from = 0; from < samples; from += plan.batch()) {
            long start = from;
            long end = Math.min(samples, from + plan.batch());
            Broadcast<double[][]> weights = sc.broadcast(Models.weights(model));
            Partial sum = blocks.treeAggregate(Partial.EMPTY, (acc, block) -> {
                int[] rows = block.rowsAt(ranks.value(), start, end);
                if (rows.length == 0) {
                    return acc;
                }
                return acc.plus(Partial.of(Models.withWeights(className, weights.value()).gradients(block.dataset(rows))));
            }, Partial::plus);
            weights.destroy();
            DataParallel.apply(model, sum.gradients, clipNorm); // the block's clip_norm, as fit's step
            lossSum += sum.lossSum;
        }
        return lossSum;
    }

    private static double averageEpoch(Model model, JavaRDD<Block> blocks, Plan plan, Broadcast<int[]> ranks, int largest,
            double lr) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        String className = plan.className();
        long perRound = plan.averagingFrequency() == 0 ? Math.max(1, largest) : (long) plan.averagingFrequency() * plan.batch();
        int batch = plan.batch();
        double lossSum = 0;
        for (long round = 0; round * perRound < Math.max(1, largest); round++) {
            long first = round * perRound;
            Broadcast<double[][]> state = sc.broadcast(DataParallel.state(model));
            Partial sum = blocks.treeAggregate(Partial.EMPTY, (acc, block) -> {
                int[] mine = block.rowsAt(ranks.value(), 0, Long.MAX_VALUE);
                if (first >= mine.length) {
                    return acc;
                }
                int[] rows = java.util.Arrays.copyOfRange(mine, (int) first, (int) Math.min(mine.length, first + perRound));
                Model local = Models.ofThread(className);
                DataParallel.setState(local, state.value());
                TrainResult r = local.fit(block.dataset(rows),
                        // the epoch's rate, held for the round (each fit would restart the schedule);
                        // the block's clip_norm applies to every local step, as fromModel() takes it
                        TrainOptions.fromModel().epochs(1).batch(batch).shuffle(false).lr(lr)
                                .schedule(LearningRateSchedule.constant()).threads(1));
                return acc.plus(Partial.ofState(DataParallel.state(local), rows.length, r.history().get(0).loss()));
            }, Partial::plus);
            state.destroy();
            if (sum.samples > 0) {
                DataParallel.setState(model, sum.meanState());
                lossSum += sum.lossSum;
            }
        }
        return lossSum;
    }
}
