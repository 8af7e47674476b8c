package dev.nnc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command the README gives, as a process: {@code java -cp 'nnc-spark.jar:lib/*'
 * dev.nnc.spark.Train samples/xor.nn --master local[2] ...}, from the packaged jars.
 */
class TrainCommandIT {

    static final Path TARGET = Path.of(System.getProperty("nnc.spark.target", "nnc-spark/target"));

    @TempDir
    Path temp;

    @Test
    void trainsXorFromThePackagedJars() throws Exception {
        Path weights = temp.resolve("xor.json");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + temp, "-cp", TARGET.resolve("nnc-spark.jar") + File.pathSeparator + TARGET.resolve("lib") + "/*",
                "dev.nnc.spark.Train", SparkFixture.ROOT.resolve("samples/xor.nn").toString(), "--master", "local[2]", "--mode", "sync",
                "--epochs", "3", "--save", weights.toString(), "--json"));
        for (String conf : List.of("spark.ui.enabled=false", "spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1",
                "spark.local.dir=" + temp.resolve("spark-local"))) {
            command.add("--conf");
            command.add(conf);
        }
        Process p = new ProcessBuilder(command).redirectOutput(temp.resolve("out.txt").toFile())
                .redirectError(temp.resolve("err.txt").toFile()).start();
        try {
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), "Train ended within 3 minutes");
            String out = Files.readString(temp.resolve("out.txt"));
            String err = Files.readString(temp.resolve("err.txt"));
            assertEquals(0, p.exitValue(), "exit status; stderr:\n" + err);
            assertTrue(err.contains("epoch 1/3  loss ") && err.contains("epoch 3/3  loss "), err);
            assertTrue(out.startsWith("{\"loss\": ") && out.contains("\"epochs\": 3") && !out.contains("\"params\""), out);
            assertTrue(Files.readString(weights).contains("\"h.W\""), "the weights were saved");
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
