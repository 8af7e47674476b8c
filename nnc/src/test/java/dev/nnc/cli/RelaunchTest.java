package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the relaunched child's stderr becomes, and which command lines relaunch. */
class RelaunchTest {

    static final String NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector" + System.lineSeparator();

    /** The child's stderr delivered in chunks of {@code chunk} bytes, as a pipe may. */
    static String filtered(String stderr, int chunk) throws IOException {
        byte[] bytes = stderr.getBytes(StandardCharsets.UTF_8);
        InputStream in = new InputStream() {
            int at;

            @Override
            public int read() {
                return at < bytes.length ? bytes[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, chunk), bytes.length - at);
                System.arraycopy(bytes, at, b, off, n);
                at += n;
                return n;
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Relaunch.copyWithoutNotice(in, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 20, 8192})
    void theNoticeLineIsLeftOutAndEverythingElseKept(int chunk) throws IOException {
        String rest = "epoch 1/1  loss 0.5\rprogress\nerror: x\n";
        assertEquals(rest, filtered(NOTICE + rest, chunk));
        assertEquals("", filtered(NOTICE, chunk));
        // not at the start, or only a prefix of it: kept as it is
        assertEquals(rest + NOTICE, filtered(rest + NOTICE, chunk));
        assertEquals("WARNING: Using something else\n", filtered("WARNING: Using something else\n", chunk));
        assertEquals("WARNING: Using incub", filtered("WARNING: Using incub", chunk));
        assertEquals("", filtered("", chunk));
    }

    @Test
    void theChildTakesThisJvmsOptionsAndTheParallelCollectorUnlessTheyNameOne() {
        assertEquals(java.util.List.of("-Xmx2g", "-Dnnc.threads=2", Relaunch.PARALLEL_GC),
                Relaunch.jvmOptions(java.util.List.of("-Xmx2g", "-agentlib:jdwp=transport=dt_socket,server=y", "-Dnnc.threads=2")));
        assertEquals(java.util.List.of(Relaunch.PARALLEL_GC), Relaunch.jvmOptions(java.util.List.of()));
        assertEquals(java.util.List.of("-XX:+UseG1GC", "-Xmx1g"), Relaunch.jvmOptions(java.util.List.of("-XX:+UseG1GC", "-Xmx1g")));
        assertEquals(java.util.List.of("-XX:+UseZGC"), Relaunch.jvmOptions(java.util.List.of("-XX:+UseZGC")));
        assertEquals(java.util.List.of("-XX:-UseParallelGC", "-XX:+UseSerialGC"),
                Relaunch.jvmOptions(java.util.List.of("-XX:-UseParallelGC", "-XX:+UseSerialGC")));
        assertEquals(java.util.List.of("-XX:+UseGCOverheadLimit", Relaunch.PARALLEL_GC),
                Relaunch.jvmOptions(java.util.List.of("-XX:+UseGCOverheadLimit")), "a GC option that is not a collector");
    }

    @Test
    void onlyCommandsThatTrainRelaunch() {
        assertTrue(Relaunch.wouldTrain(new String[] {"train", "samples/fashion_mnist.nn", "--epochs", "1", "--vector"}));
        assertTrue(Relaunch.wouldTrain(new String[] {"--debug", "bench", "--vector", "bench/t3.nn"}));
        assertFalse(Relaunch.wouldTrain(new String[] {"train", "samples/fashion_mnist.nn", "--epochs", "1"}));
        assertFalse(Relaunch.wouldTrain(new String[] {"grad", "samples/fashion_mnist.nn"}));
        assertFalse(Relaunch.wouldTrain(new String[] {"compile", "samples/fashion_mnist.nn", "-o", "x"}));
        assertFalse(Relaunch.wouldTrain(new String[] {"train", "no/such/file.nn"}));
        assertFalse(Relaunch.wouldTrain(new String[] {"--version"}));
    }
}
