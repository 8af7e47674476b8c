package dev.nnc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on 127.0.0.1 from the jars of target/lib (no Spark installed): a Master
 * and two Workers of one core each. Train runs on it twice in sync mode; in the second run one
 * worker is killed (by pid) after a few epochs. Spark re-runs the lost tasks on the other, and the
 * weights end as in the undisturbed run. Every process is stopped by pid. Run with
 * {@code -Pspark-cluster} (it takes a few minutes).
 */
@Tag("cluster")
class StandaloneClusterIT {

    static final Path TARGET = TrainCommandIT.TARGET;
    static final int EPOCHS = 40;

    @TempDir
    Path temp;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : started) {
            kill(p);
        }
    }

    /** Kills {@code p} and the processes it started (a worker's executors), each by its pid. */
    private static void kill(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle c : children) {
            c.destroyForcibly();
            c.onExit().completeOnTimeout(c, 30, TimeUnit.SECONDS).join();
        }
    }

    @Test
    void aWorkerKilledMidRunChangesNothing() throws Exception {
        Path home = temp.resolve("spark-home");
        Files.createDirectories(home);
        Files.createSymbolicLink(home.resolve("jars"), TARGET.resolve("lib").toAbsolutePath());
        int port = freePort();
        start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--webui-port", String.valueOf(freePort())), home);
        List<Process> workers = new ArrayList<>();
        for (int w = 1; w <= 2; w++) {
            Path work = Files.createDirectories(temp.resolve("worker" + w));
            workers.add(start("worker" + w, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                    "--memory", "1g", "--work-dir", work.toString(), "--webui-port", String.valueOf(freePort()),
                    "spark://127.0.0.1:" + port), home));
        }
        String master = "spark://127.0.0.1:" + port;
        waitFor(temp.resolve("master.err"), "Registering worker", 2, 120);

        double[] undisturbed = train(master, home, "calm", null);
        double[] disturbed = train(master, home, "killed", workers.get(0));
        assertEquals(undisturbed.length, disturbed.length);
        for (int i = 0; i < undisturbed.length; i++) {
            assertEquals(undisturbed[i], disturbed[i], 1e-5 * Math.max(1, Math.abs(undisturbed[i])), "weight " + i);
        }
    }

    /** Runs Train on the cluster and returns the saved weights, all numbers in file order; kills {@code victim} after epoch 5. */
    private double[] train(String master, Path home, String name, Process victim) throws Exception {
        Path weights = temp.resolve(name + ".json");
        List<String> args = new ArrayList<>(List.of("dev.nnc.spark.Train", SparkFixture.ROOT.resolve("samples/xor.nn").toString(),
                "--master", master, "--mode", "sync", "--epochs", String.valueOf(EPOCHS), "--save", weights.toString()));
        for (String conf : List.of("spark.ui.enabled=false", "spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1",
                "spark.executor.memory=512m", "spark.cores.max=2", "spark.default.parallelism=2",
                "spark.local.dir=" + temp.resolve("driver-local"))) {
            args.add("--conf");
            args.add(conf);
        }
        Process p = start(name, args, home);
        if (victim != null) {
            waitFor(temp.resolve(name + ".err"), "epoch 5/", 1, 240);
            kill(victim);
        }
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), name + " ended within 5 minutes");
        assertEquals(0, p.exitValue(), name + " exit status; stderr:\n" + Files.readString(temp.resolve(name + ".err")));
        assertTrue(Files.readString(temp.resolve(name + ".err")).contains("epoch " + EPOCHS + "/" + EPOCHS));
        List<Double> numbers = new ArrayList<>();
        Matcher m = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?").matcher(Files.readString(weights).replaceAll("\"[^\"]*\"", ""));
        while (m.find()) {
            numbers.add(Double.parseDouble(m.group()));
        }
        return numbers.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private Process start(String name, List<String> mainAndArgs, Path home) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Djava.io.tmpdir=" + temp, "-cp", TARGET.resolve("nnc-spark.jar") + File.pathSeparator + TARGET.resolve("lib") + "/*"));
        command.addAll(mainAndArgs);
        ProcessBuilder b = new ProcessBuilder(command).redirectOutput(temp.resolve(name + ".out").toFile())
                .redirectError(temp.resolve(name + ".err").toFile());
        Map<String, String> env = b.environment();
        env.put("SPARK_HOME", home.toString());
        // the launcher of the executors finds the Scala version from a build tree, which target/lib is not
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_DIRS", temp.resolve("local").toString());
        env.put("SPARK_LOG_DIR", temp.resolve("logs").toString());
        Process p = b.start();
        started.add(p);
        return p;
    }

    /** Waits until {@code file} holds {@code text} {@code times} times. */
    private static void waitFor(Path file, String text, int times, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (Files.exists(file) && Files.readString(file).split(Pattern.quote(text), -1).length - 1 >= times) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + times + " x '" + text + "' in " + file + " within " + seconds + " s:\n"
                + (Files.exists(file) ? Files.readString(file) : "(no file)"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
