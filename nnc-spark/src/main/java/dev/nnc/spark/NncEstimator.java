package dev.nnc.spark;

import dev.nnc.runtime.DataParallel;
import dev.nnc.runtime.Model;
import java.util.UUID;
import dev.nnc.runtime.EpochStats;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;

/**
 * Trains a model nnc generated on a Spark DataFrame: a Spark ML {@link Estimator}, as
 * {@code MultilayerPerceptronClassifier} is one, whose {@link #fit} gives an {@link NncSparkModel}.
 * <pre>
 *   NncSparkModel m = new NncEstimator().setModelClass("com.acme.Fraud").setFeaturesCol("features")
 *       .setLabelCol("label").setMode("sync").setEpochs(10).setBatchSize(256).setLearningRate(1e-3).setSeed(7)
 *       .fit(trainDf);
 * </pre>
 * The generated class must be on the driver's class path (the thread's context class loader) and
 * the executors' (the application's jars, or {@code SparkContext.addJar}). {@code epochs},
 * {@code batchSize} and {@code learningRate} of 0 and an unset {@code seed} take the {@code .nn}'s
 * train block, as {@code nnc train} does. Like every Spark ML estimator, {@code fit} is for one
 * caller at a time per instance.
 */
public final class NncEstimator extends Estimator<NncSparkModel> implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;
    /** Where an epoch's line goes when no {@link #onEpoch} listener is set: the driver's log, at INFO. */
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NncEstimator.class);

    private final String uid;
    private final Param<String> modelClass;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> outputCol;
    private final Param<String> mode;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final DoubleParam learningRate;
    private final LongParam seed;
    private final Param<String> shuffle;
    private final IntParam averagingFrequency;
    private final Param<String> checkpoint;
    /** Told after every epoch on the driver, with the model there; not a param (not saved). */
    private transient BiConsumer<EpochStats, Model> onEpoch;

    public NncEstimator() {
        this("nncEstimator_" + UUID.randomUUID().toString().substring(0, 12));
    }

    public NncEstimator(String uid) {
        this.uid = uid;
        modelClass = NncParams.modelClass(this);
        featuresCol = NncParams.featuresCol(this);
        labelCol = NncParams.labelCol(this);
        predictionCol = NncParams.predictionCol(this);
        outputCol = NncParams.outputCol(this);
        mode = NncParams.mode(this);
        epochs = NncParams.epochs(this);
        batchSize = NncParams.batchSize(this);
        learningRate = NncParams.learningRate(this);
        seed = NncParams.seed(this);
        shuffle = NncParams.shuffle(this);
        averagingFrequency = NncParams.averagingFrequency(this);
        checkpoint = NncParams.checkpoint(this);
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(outputCol, "output");
        setDefault(mode, "sync");
        setDefault(epochs, 0);
        setDefault(batchSize, 0);
        setDefault(learningRate, 0.0);
        setDefault(shuffle, "model");
        setDefault(averagingFrequency, 0);
        setDefault(checkpoint, "");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> modelClass() { return modelClass; }
    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> labelCol() { return labelCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> outputCol() { return outputCol; }
    public Param<String> mode() { return mode; }
    public IntParam epochs() { return epochs; }
    public IntParam batchSize() { return batchSize; }
    public DoubleParam learningRate() { return learningRate; }
    public LongParam seed() { return seed; }
    public Param<String> shuffle() { return shuffle; }
    public IntParam averagingFrequency() { return averagingFrequency; }
    public Param<String> checkpoint() { return checkpoint; }

    public NncEstimator setModelClass(String value) { set(modelClass, value); return this; }
    public NncEstimator setFeaturesCol(String value) { set(featuresCol, value); return this; }
    public NncEstimator setLabelCol(String value) { set(labelCol, value); return this; }
    public NncEstimator setPredictionCol(String value) { set(predictionCol, value); return this; }
    public NncEstimator setOutputCol(String value) { set(outputCol, value); return this; }
    public NncEstimator setMode(String value) { set(mode, value); return this; }
    public NncEstimator setEpochs(int value) { set(epochs, value); return this; }
    public NncEstimator setBatchSize(int value) { set(batchSize, value); return this; }
    public NncEstimator setLearningRate(double value) { set(learningRate, value); return this; }
    public NncEstimator setSeed(long value) { set(seed, value); return this; }
    /** {@code true} or {@code false} override the {@code .nn}'s {@code shuffle}. */
    public NncEstimator setShuffle(boolean value) { set(shuffle, String.valueOf(value)); return this; }
    public NncEstimator setAveragingFrequency(int value) { set(averagingFrequency, value); return this; }
    /** A Hadoop file system path that keeps the last finished epoch; a fit with the same path resumes from it. */
    public NncEstimator setCheckpoint(String value) { set(checkpoint, value); return this; }

    public String getModelClass() { return $(modelClass); }
    public String getMode() { return $(mode); }
    public int getEpochs() { return (Integer) $(epochs); }
    public int getBatchSize() { return (Integer) $(batchSize); }
    public double getLearningRate() { return (Double) $(learningRate); }
    public int getAveragingFrequency() { return (Integer) $(averagingFrequency); }

    /** Tells {@code listener} each epoch's number, mean training loss, seconds and samples/s, on the driver. */
    public NncEstimator onEpoch(Consumer<EpochStats> listener) {
        this.onEpoch = listener == null ? null : (stats, model) -> listener.accept(stats);
        return this;
    }

    /** As {@link #onEpoch(Consumer)}, with the model on the driver as that epoch left it (Train evaluates it). */
    NncEstimator onEpoch(BiConsumer<EpochStats, Model> listener) {
        this.onEpoch = listener;
        return this;
    }

    @Override
    public NncSparkModel fit(org.apache.spark.sql.Dataset<?> data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        transformSchema(data.schema());
        String className = getModelClass();
        long seedValue = isDefined(seed) ? (Long) $(seed) : DataParallel.seed(Model.of(className));
        Model model = Models.create(className, seedValue);
        double lr = getLearningRate() > 0 ? getLearningRate() : DataParallel.learningRate(model);
        DataParallel.setLearningRate(model, lr);
        SparkTraining.Plan plan = new SparkTraining.Plan(className, getMode(), getEpochs() > 0 ? getEpochs() : DataParallel.epochs(model),
                getBatchSize() > 0 ? getBatchSize() : DataParallel.batch(model), lr, seedValue,
                $(shuffle).equals("model") ? DataParallel.shuffle(model) : Boolean.parseBoolean($(shuffle)), getAveragingFrequency());
        JavaRDD<Block> blocks = Rows.blocks(data, $(featuresCol), $(labelCol), model.schema());
        try {
            long samples = blocks.map(Block::size).fold(0, Integer::sum);
            if (samples == 0) {
                throw new IllegalArgumentException("data has no rows to train on");
            }
            BiConsumer<EpochStats, Model> listener = onEpoch != null ? onEpoch
                    : (e, m) -> LOG.info("{}", DataParallel.epochLine(e, plan.epochs()));
            SparkCheckpoint saved = $(checkpoint).isEmpty() ? null : new SparkCheckpoint($(checkpoint), blocks.context().hadoopConfiguration());
            int first = saved == null ? 1 : saved.resume(model, plan) + 1;
            SparkTraining.run(model, blocks, (int) samples, plan, first, (epoch, m) -> {
                if (saved != null) {
                    saved.write(m, plan, epoch.epoch());
                }
                listener.accept(epoch, m);
            });
        } finally {
            blocks.unpersist(false);
        }
        NncSparkModel fitted = new NncSparkModel(uid, className, Models.weights(model));
        return copyValues(fitted.setParent(this), extractParamMap());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelClass)) {
            throw new IllegalArgumentException("modelClass is not set: the generated model's class name");
        }
        Rows.requireVector(schema, "featuresCol", $(featuresCol));
        Rows.requireLabel(schema, $(labelCol));
        return NncSparkModel.outputSchema(schema, $(predictionCol), $(outputCol));
    }

    @Override
    public NncEstimator copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Reads an estimator {@code write().save(path)} wrote. */
    public static MLReader<NncEstimator> read() {
        return new DefaultParamsReader<>();
    }

    public static NncEstimator load(String path) {
        return read().load(path);
    }
}
