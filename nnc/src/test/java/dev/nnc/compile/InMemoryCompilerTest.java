package dev.nnc.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.emit.TrainerSource;
import dev.nnc.emit.RuntimeSources;
import dev.nnc.runtime.NncDriver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InMemoryCompilerTest {

    private static TrainerSource xor(String packageName) {
        return Pipeline.generate(Pipeline.check(Path.of("samples", "xor.nn"), null), null, packageName, "samples");
    }

    /** The trainer's {@code --json} result of {@code args} without its timings: the final loss and the trained weights. */
    private static String train(Class<?> type, String... args) throws ReflectiveOperationException {
        Method run = type.getMethod("run", String[].class, PrintStream.class, PrintStream.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            String[] all = new String[args.length + 1];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--json";
            code = (Integer) run.invoke(null, all, o, e);
        }
        String json = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Matcher loss = Pattern.compile("\"loss\": ([^,]+),").matcher(json);
        Matcher params = Pattern.compile("\"params\": (.*)").matcher(json);
        assertTrue(loss.find() && params.find(), json);
        return loss.group(1) + " " + params.group(1).trim();
    }

    private static double loss(String trained) {
        return Double.parseDouble(trained.substring(0, trained.indexOf(' ')));
    }

    @Test
    void javacSeesEveryClassOfTheRuntimeLibrary() {
        Map<String, byte[]> runtime = RuntimeClasses.all();
        TreeSet<String> tops = new TreeSet<>();
        for (String name : runtime.keySet()) {
            assertTrue(name.startsWith("dev.nnc.runtime."), name);
            if (!name.contains("$")) {
                tops.add(name.substring("dev.nnc.runtime.".length()));
            }
        }
        assertTrue(tops.containsAll(RuntimeSources.files(true).keySet()), "every runtime file's class: " + tops);
        assertTrue(runtime.containsKey("dev.nnc.runtime.NncDriver$Defaults"), "nested classes too: " + runtime.keySet());
    }

    @Test
    void theGeneratedClassCompilesAgainstTheLibraryAndSharesItWithNnc() throws Exception {
        TrainerSource xor = xor("");
        assertTrue(xor.modelText().contains("import dev.nnc.runtime.NncModel;"), "the class imports the runtime");
        Class<?> type = InMemoryCompiler.compile(xor);
        assertSame(NncDriver.class, Class.forName("dev.nnc.runtime.NncDriver", false, type.getClassLoader()),
                "the runtime the class runs with is nnc's own");
        assertTrue(dev.nnc.runtime.Model.class.isAssignableFrom(type));
        assertTrue(loss(train(type)) < 0.01, "XOR did not train");
        LoadedTrainer trainer = LoadedTrainer.load(xor);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, trainer.run(new String[] {"--epochs", "2"}, o, o));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("loss"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSingleFileTrainsExactlyAsTheClassOnTheLibrary() throws Exception {
        TrainerSource xor = xor("");
        String single = xor.text();
        assertFalse(single.contains("import dev.nnc.runtime"), "a single file imports nothing of the runtime");
        Class<?> whole = InMemoryCompiler.compile(xor.packageName(), xor.className(), single);
        assertEquals("", Class.forName("NncDriver", false, whole.getClassLoader()).getPackageName(),
                "the runtime compiled from the text, in the class's package");
        Class<?> library = InMemoryCompiler.compile(xor);
        String a = train(library, "--epochs", "300", "--seed", "7");
        assertEquals(train(whole, "--epochs", "300", "--seed", "7"), a);
    }

    @Test
    void aTrainerInAPackageCompilesAgainstTheLibrary() throws Exception {
        TrainerSource xor = xor("com.example.xor");
        Class<?> type = InMemoryCompiler.compile(xor);
        assertEquals("com.example.xor." + xor.className(), type.getName());
        assertTrue(loss(train(type)) < 0.01);
        Class<?> whole = InMemoryCompiler.compile(xor.packageName(), xor.className(), xor.text());
        assertEquals("com.example.xor", Class.forName("com.example.xor.NncDriver", false, whole.getClassLoader()).getPackageName());
    }

    @Test
    void theWarmUpSourceCompilesAgainstTheRuntime() {
        // if the runtime's API changed, simplify WarmupSource.TEXT: it only has to look like a generated trainer
        Class<?> type = InMemoryCompiler.compile(new TrainerSource("", WarmupSource.CLASS_NAME, WarmupSource.TEXT, false));
        assertEquals(WarmupSource.CLASS_NAME, type.getName());
        Class<?> tiny = InMemoryCompiler.compile(new TrainerSource("", WarmupSource.TINY_CLASS_NAME, WarmupSource.TINY, false));
        assertEquals(WarmupSource.TINY_CLASS_NAME, tiny.getName());
        int[] all = {0};
        InMemoryCompiler.warmUp(() -> ++all[0] < 0);
        int[] events = {0};
        InMemoryCompiler.warmUp(() -> ++events[0] > 3); // stopped within the first round: returns quietly
        assertTrue(events[0] < 8 && all[0] > 40, "a warm-up asked " + all[0] + " times, one stopped at the fourth asked " + events[0]);
    }

    @Test
    void onlyCommandsThatCompileATrainerWarmUp() {
        assertTrue(Warmup.compiles(new String[] {"train", "x.nn"}));
        assertTrue(Warmup.compiles(new String[] {"--debug", "bench", "x.nn"}));
        assertTrue(Warmup.compiles(new String[] {"gradcheck", "x.nn"}));
        assertFalse(Warmup.compiles(new String[] {"check", "train.nn"}));
        assertFalse(Warmup.compiles(new String[] {"compile", "x.nn", "-o", "out"}));
        assertFalse(Warmup.compiles(new String[] {"--help"}));
        assertFalse(Warmup.compiles(new String[0]));
    }
}
