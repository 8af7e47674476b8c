package dev.nnc.spark;

import dev.nnc.runtime.Model;
import java.util.Arrays;
import java.util.UUID;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained nnc model as a Spark ML {@link org.apache.spark.ml.Model}: {@link #transform} adds
 * {@code prediction} (the index of the largest output; the output itself when it has one element)
 * and {@code output} (the model's output as a Vector) to a DataFrame with a features column.
 * <pre>
 *   Dataset&lt;Row&gt; scored = model.transform(testDf);        // + prediction, output
 *   model.write().overwrite().save("hdfs:///models/fraud"); // metadata and weights.json
 *   NncSparkModel again = NncSparkModel.load("hdfs:///models/fraud");
 *   Model local = model.toLocal();                          // the generated class with these weights
 * </pre>
 * Immutable apart from its params; {@code transform} may be called from many threads.
 */
public final class NncSparkModel extends org.apache.spark.ml.Model<NncSparkModel> implements MLWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final String className;
    /** The parameters flat, in the .nn's order. */
    private final double[][] weights;
    /** Names these weights on executors that keep a predicting instance per thread. */
    private final String weightsKey = "predict:" + UUID.randomUUID();
    private final Param<String> modelClass;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> outputCol;

    NncSparkModel(String uid, String className, double[][] weights) {
        this.uid = uid;
        this.className = className;
        this.weights = weights;
        modelClass = NncParams.modelClass(this);
        featuresCol = NncParams.featuresCol(this);
        predictionCol = NncParams.predictionCol(this);
        outputCol = NncParams.outputCol(this);
        set(modelClass, className);
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(outputCol, "output");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> modelClass() { return modelClass; }
    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> outputCol() { return outputCol; }

    public NncSparkModel setFeaturesCol(String value) { set(featuresCol, value); return this; }
    public NncSparkModel setPredictionCol(String value) { set(predictionCol, value); return this; }
    public NncSparkModel setOutputCol(String value) { set(outputCol, value); return this; }

    /** The generated class's name. */
    public String getModelClass() {
        return className;
    }

    /** The generated class with these weights, for serving without Spark (from the thread's context class loader). */
    public Model toLocal() {
        Model m = Model.of(className);
        Models.setWeights(m, weights);
        return m;
    }

    /** The trained parameters by name, as {@link Model#parameters()} gives them. */
    public java.util.Map<String, dev.nnc.runtime.Tensor> parameters() {
        return toLocal().parameters();
    }

    @Override
    public org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> transform(org.apache.spark.sql.Dataset<?> data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        transformSchema(data.schema());
        String name = className;
        String key = weightsKey;
        double[][] w = weights;
        String column = $(featuresCol);
        UserDefinedFunction output = functions.udf((UDF1<Vector, Vector>) x -> {
            Model m = Models.forPredicting(name, key, w);
            double[] in = x.toArray();
            if (in.length != m.schema().inputSize()) {
                throw new IllegalArgumentException("featuresCol column " + column + " has " + in.length + " values; the model takes "
                        + m.schema().inputSize() + " inputs");
            }
            return Vectors.dense(m.predict(in));
        }, new VectorUDT());
        UserDefinedFunction prediction = functions.udf((UDF1<Vector, Double>) NncSparkModel::prediction, DataTypes.DoubleType);
        return data.withColumn($(outputCol), output.apply(functions.col(column)))
                .withColumn($(predictionCol), prediction.apply(functions.col($(outputCol))));
    }

    /** The index of the largest output (the first of equals), or the output itself when it has one element. */
    static double prediction(Vector output) {
        return output.size() == 1 ? output.apply(0) : output.argmax();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Rows.requireVector(schema, "featuresCol", $(featuresCol));
        return outputSchema(schema, $(predictionCol), $(outputCol));
    }

    /** {@code schema} with the two columns transform adds; refused when either is there already. */
    static StructType outputSchema(StructType schema, String predictionCol, String outputCol) {
        for (String c : new String[] {predictionCol, outputCol}) {
            if (Arrays.asList(schema.fieldNames()).contains(c)) {
                throw new IllegalArgumentException("the data set already has a column " + c + ", which transform would add");
            }
        }
        return schema.add(outputCol, new VectorUDT(), false).add(predictionCol, DataTypes.DoubleType, false);
    }

    @Override
    public NncSparkModel copy(ParamMap extra) {
        return copyValues(new NncSparkModel(uid, className, weights), extra).setParent(parent());
    }

    /** Saves the params and the weights JSON: {@code write().overwrite().save(path)}, any Hadoop file system path. */
    @Override
    public MLWriter write() {
        return new NncModelIO.Writer(this);
    }

    /** Reads what {@code write().save(path)} wrote; the generated class must be on the class path. */
    public static MLReader<NncSparkModel> read() {
        return new NncModelIO.Reader();
    }

    public static NncSparkModel load(String path) {
        return read().load(path);
    }
}
