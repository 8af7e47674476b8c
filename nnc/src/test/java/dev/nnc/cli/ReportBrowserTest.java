package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Pipeline;
import dev.nnc.autodiff.GradientListing;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of sigmoid_121 in a real browser: headless Chromium renders it from the file alone;
 * its DOM still holds every gradient's {@code <math>} and both graphs' {@code <svg>}, and its
 * screenshot has the window's size and is not blank. Runs in the {@code browser} profile
 * ({@code mvn verify -Pbrowser}; {@code .ci/run} installs Debian's {@code chromium} when missing).
 */
@Tag("browser")
class ReportBrowserTest {

    static final int WIDTH = 1200;
    static final int HEIGHT = 1600;

    @TempDir
    Path dir;

    @Test
    void chromiumRendersTheReport() throws Exception {
        Path page = dir.resolve("sigmoid_121.html");
        String sample = GradCommandTest.sample("sigmoid_121");
        CliRun r = TrainerCommandsTest.run("report", sample, "-o", page.toString());
        assertEquals(0, r.code(), r.all());

        String dom = chromium("--dump-dom", page.toUri().toString());
        List<GradientListing.Equation> listing =
                GradientListing.of(Pipeline.derive(Pipeline.check(Path.of(sample), null))).equations(false);
        assertEquals(listing.size(), count(dom, "<math "), "one <math> per equation in the rendered DOM");
        for (GradientListing.Equation e : listing) {
            assertTrue(dom.contains("data-lhs=\"" + e.lhs() + "\""), e.lhs() + " is not in the rendered DOM");
        }
        assertEquals(2, count(dom, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\""), "both graphs' <svg>");
        assertTrue(dom.contains(">yhat = sigmoid<"), "the graph's labels");

        Path png = dir.resolve("report.png");
        chromium("--screenshot=" + png, "--window-size=" + WIDTH + "," + HEIGHT, "--hide-scrollbars", page.toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                ink += rgb == 0xffffff ? 0 : 1;
            }
        }
        assertTrue(colours.size() > 20, "a blank screenshot: " + colours.size() + " colours");
        assertTrue(ink > image.getWidth() * image.getHeight() / 4 / 50, "a blank screenshot: " + ink + " pixels not white");
    }

    /** Runs headless Chromium with its own profile folder here; its stdout. Stopped by its pid if it hangs. */
    private String chromium(String... args) throws IOException, InterruptedException {
        String binary = findChromium();
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(binary, "--headless", "--disable-gpu", "--no-first-run",
                // a container's root user has no sandbox to run in; the page is our own file
                "--no-sandbox", "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "chromium", ".out");
        Path err = Files.createTempFile(dir, "chromium", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            ProcessHandle handle = ProcessHandle.of(p.pid()).orElseThrow();
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
            fail("chromium (pid " + p.pid() + ") did not finish in 120 s: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + readQuietly(err));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String findChromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(folder, name))) {
                    return Path.of(folder, name).toString();
                }
            }
        }
        return fail("no chromium on the PATH (apt-get install -y chromium); the browser profile needs it");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
