package dev.nnc.spark;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The params of {@link NncEstimator} and {@link NncSparkModel}, each made and documented here once;
 * the two classes hold their own instances (Spark ML finds a class's params by its public
 * no-argument methods that return a {@link Param}).
 */
final class NncParams {

    private NncParams() {}

    static Param<String> modelClass(Params owner) {
        return new Param<>(owner, "modelClass", "the generated model's class name, on the application's class path");
    }

    static Param<String> featuresCol(Params owner) {
        return new Param<>(owner, "featuresCol", "a Vector column: the model's inputs flattened in declaration order");
    }

    static Param<String> labelCol(Params owner) {
        return new Param<>(owner, "labelCol", "a numeric column (a class index, or the value of a one-element target) or a Vector column of the targets");
    }

    static Param<String> predictionCol(Params owner) {
        return new Param<>(owner, "predictionCol", "the column transform adds: the index of the largest output (the output itself when it has one element)");
    }

    static Param<String> outputCol(Params owner) {
        return new Param<>(owner, "outputCol", "the column transform adds: the model's output as a Vector");
    }

    static Param<String> mode(Params owner) {
        return new Param<>(owner, "mode", "sync (one optimizer step per global mini-batch) or average (local epochs, then averaged)",
                ParamValidators.inArray(new String[] {"sync", "average"}));
    }

    static IntParam epochs(Params owner) {
        return new IntParam(owner, "epochs", "passes over the data; 0 takes the .nn's train block", ParamValidators.gtEq(0));
    }

    static IntParam batchSize(Params owner) {
        return new IntParam(owner, "batchSize", "samples per mini-batch, across all partitions; 0 takes the .nn's", ParamValidators.gtEq(0));
    }

    static DoubleParam learningRate(Params owner) {
        return new DoubleParam(owner, "learningRate", "the optimizer's learning rate; 0 takes the .nn's", ParamValidators.gtEq(0));
    }

    static LongParam seed(Params owner) {
        return new LongParam(owner, "seed", "the initial weights' and the shuffles' seed");
    }

    static Param<String> shuffle(Params owner) {
        return new Param<>(owner, "shuffle", "model (the .nn's train block), true or false",
                ParamValidators.inArray(new String[] {"model", "true", "false"}));
    }

    static IntParam averagingFrequency(Params owner) {
        return new IntParam(owner, "averagingFrequency", "average mode: local mini-batches between two averagings; 0 for one epoch of each partition's rows",
                ParamValidators.gtEq(0));
    }

    static Param<String> checkpoint(Params owner) {
        return new Param<>(owner, "checkpoint", "a Hadoop file system path that keeps the last finished epoch, resumed from when it exists; empty for none");
    }
}
