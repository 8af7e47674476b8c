package dev.nnc.spark;

import dev.nnc.runtime.Schema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A training DataFrame as the trainers use it: one cached {@link Block} per partition, each row
 * numbered in the DataFrame's order (the file order of {@code nnc train}).
 * <pre>
 *   features [0, 1], label 1.0  (row 1 of partition 0)  ->  Block{index [.., 1, ..], inputs [.., [0, 1], ..], labels [.., 1, ..]}
 * </pre>
 */
final class Rows {

    private Rows() {}

    /** Checks that {@code column} of {@code schema} exists and is a Vector column; {@code param} names the param in messages. */
    static void requireVector(StructType schema, String param, String column) {
        DataType type = type(schema, param, column);
        if (!(type instanceof VectorUDT)) {
            throw new IllegalArgumentException(param + " column " + column + " must be a Vector column (org.apache.spark.ml.linalg), not "
                    + type.simpleString());
        }
    }

    /** Checks that the label column is numeric or a Vector. */
    static void requireLabel(StructType schema, String column) {
        DataType type = type(schema, "labelCol", column);
        if (!(type instanceof VectorUDT) && !(type instanceof NumericType)) {
            throw new IllegalArgumentException("labelCol column " + column + " must be numeric or a Vector column, not " + type.simpleString());
        }
    }

    private static DataType type(StructType schema, String param, String column) {
        if (column == null || !List.of(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(param + " names column " + column + ", which the data set does not have (it has "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        return schema.apply(column).dataType();
    }

    /**
     * The rows of {@code data} as cached blocks for a model of {@code schema}: each sample's
     * inputs from {@code featuresCol}, its targets from {@code labelCol}.
     */
    static JavaRDD<Block> blocks(org.apache.spark.sql.Dataset<?> data, String featuresCol, String labelCol, Schema schema) {
        requireVector(data.schema(), "featuresCol", featuresCol);
        requireLabel(data.schema(), labelCol);
        boolean labels = !(data.schema().apply(labelCol).dataType() instanceof VectorUDT) && !denseScalar(schema);
        int inputs = schema.inputSize();
        int targets = schema.targetSize();
        JavaRDD<Block> blocks = data.select(featuresCol, labelCol).toJavaRDD().zipWithIndex()
                .mapPartitions(rows -> List.of(block(rows, featuresCol, labelCol, inputs, targets, labels)).iterator());
        return blocks.persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** A model whose only target is one dense number takes a numeric label as that number, not as a class. */
    private static boolean denseScalar(Schema schema) {
        return schema.targets().size() == 1 && !schema.targets().get(0).onehot() && schema.targetSize() == 1;
    }

    private static Block block(Iterator<Tuple2<Row, Long>> rows, String featuresCol, String labelCol, int inputs, int targets,
            boolean labels) {
        List<Integer> index = new ArrayList<>();
        List<double[]> in = new ArrayList<>();
        List<double[]> out = new ArrayList<>();
        while (rows.hasNext()) {
            Tuple2<Row, Long> row = rows.next();
            if (row._2() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the data set has more than " + Integer.MAX_VALUE + " rows");
            }
            double[] x = ((Vector) row._1().get(0)).toArray();
            if (x.length != inputs) {
                throw new IllegalArgumentException("featuresCol column " + featuresCol + " of row " + row._2() + " has " + x.length
                        + " values; the model takes " + inputs + " inputs");
            }
            index.add(row._2().intValue());
            in.add(x);
            out.add(target(row._1().get(1), labelCol, row._2(), targets, labels));
        }
        int[] idx = new int[index.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = index.get(i);
        }
        double[][] x = in.toArray(new double[0][]);
        if (labels) {
            int[] l = new int[out.size()];
            for (int i = 0; i < l.length; i++) {
                l[i] = (int) out.get(i)[0];
            }
            return new Block(idx, x, l, null);
        }
        return new Block(idx, x, null, out.toArray(new double[0][]));
    }

    private static double[] target(Object value, String labelCol, long row, int targets, boolean labels) {
        if (value instanceof Vector v) {
            if (v.size() != targets) {
                throw new IllegalArgumentException("labelCol column " + labelCol + " of row " + row + " has " + v.size()
                        + " values; the model takes " + targets + " targets");
            }
            return v.toArray();
        }
        if (value == null) {
            throw new IllegalArgumentException("labelCol column " + labelCol + " of row " + row + " is null");
        }
        double y = ((Number) value).doubleValue();
        if (labels && (y < 0 || y != Math.rint(y))) {
            throw new IllegalArgumentException("labelCol column " + labelCol + " of row " + row + " is " + y
                    + "; a class label is a whole number from 0");
        }
        return new double[] {y};
    }
}
