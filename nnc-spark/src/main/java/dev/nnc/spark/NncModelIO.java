package dev.nnc.spark;

import dev.nnc.runtime.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.json4s.JString;

/**
 * How an {@link NncSparkModel} is saved: Spark ML's params metadata ({@code path/metadata}, as
 * {@code DefaultParamsWriter} writes it, so that a {@code PipelineModel} holding one saves and
 * loads too) and the weights JSON of {@code nnc train --save} ({@code path/weights.json}).
 */
final class NncModelIO {

    static final String WEIGHTS = "weights.json";

    private NncModelIO() {}

    static final class Writer extends MLWriter {
        private final NncSparkModel model;

        Writer(NncSparkModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            HadoopFiles.write(path + "/" + WEIGHTS, weightsJson(model.toLocal()), sc().hadoopConfiguration());
        }
    }

    static final class Reader extends MLReader<NncSparkModel> {
        @Override
        public NncSparkModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(), NncSparkModel.class.getName());
            String className = ((JString) metadata.getParamValue("modelClass")).s();
            Model m = Model.of(className);
            loadWeightsJson(m, HadoopFiles.read(path + "/" + WEIGHTS, sc().hadoopConfiguration()));
            NncSparkModel model = new NncSparkModel(metadata.uid(), className, Models.weights(m));
            metadata.getAndSetParams(model, scala.Option.empty());
            return model;
        }
    }

    /** The weights JSON that {@link Model#save} writes, as bytes. */
    static byte[] weightsJson(Model model) {
        java.nio.file.Path file = null;
        try {
            file = Files.createTempFile("nnc-weights", ".json");
            model.save(file);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the weights to a temporary file", e);
        } finally {
            deleteQuietly(file);
        }
    }

    /** Sets {@code model}'s weights from the bytes of a weights JSON ({@link Model#loadWeights}). */
    static void loadWeightsJson(Model model, byte[] json) {
        java.nio.file.Path file = null;
        try {
            file = Files.createTempFile("nnc-weights", ".json");
            Files.write(file, json);
            model.loadWeights(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the weights to a temporary file", e);
        } finally {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(java.nio.file.Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file: the OS cleans up after us
            }
        }
    }
}
