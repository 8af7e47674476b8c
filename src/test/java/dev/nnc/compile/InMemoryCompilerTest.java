package dev.nnc.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.emit.TrainerSource;
import dev.nnc.runtime.Embedded;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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

    private static Set<String> precompiled(Class<?> type) {
        return ((InMemoryCompiler.TrainerLoader) type.getClassLoader()).precompiled();
    }

    private static double loss(String trained) {
        return Double.parseDouble(trained.substring(0, trained.indexOf(' ')));
    }

    @Test
    void theBuildShipsTheRuntimePrecompiledInTheDefaultPackage() {
        Map<String, byte[]> runtime = RuntimeClasses.forTrainer(false);
        assertNotNull(runtime, "nnc-runtime-classes/ is missing from target/classes: pom.xml's nnc-runtime-classes step did not run");
        TreeSet<String> tops = new TreeSet<>();
        for (String name : runtime.keySet()) {
            assertFalse(name.contains("."), name + " is not in the default package");
            tops.add(RuntimeClasses.topLevel(name));
        }
        assertEquals(new TreeSet<>(Embedded.files(false)), tops, "exactly the runtime files a trainer appends");
        assertTrue(runtime.containsKey("NncDriver$Defaults"), "nested classes too: " + runtime.keySet());
    }

    @Test
    void theGeneratedClassAloneCompilesAgainstThePrecompiledRuntimeAndTrainsXor() throws Exception {
        TrainerSource xor = xor("");
        TrainerSource alone = new TrainerSource("", xor.className(), xor.modelText(), false); // text() would append the runtime
        Class<?> type = InMemoryCompiler.compile(alone, RuntimeClasses.forTrainer(false));
        assertTrue(precompiled(type).contains("NncDriver"));
        Class<?> driver = type.getClassLoader().loadClass("NncDriver");
        assertSame(type.getClassLoader(), driver.getClassLoader(), "the runtime is defined with the trainer, in its package");
        String trained = train(type);
        assertTrue(loss(trained) < 0.01, "XOR did not train: " + trained);

        assertThrows(InMemoryCompiler.Failure.class, () -> InMemoryCompiler.compile(alone, Map.of()),
                "without the runtime classes the generated class alone must not compile");
    }

    @Test
    void thePrecompiledRuntimeTrainsExactlyAsTheWholeText() throws Exception {
        TrainerSource xor = xor("");
        Class<?> precompiled = InMemoryCompiler.compile(xor, RuntimeClasses.forTrainer(false));
        Class<?> whole = InMemoryCompiler.compile(xor, null);
        Class<?> whole2 = InMemoryCompiler.compile(xor.packageName(), xor.className(), xor.text());
        String a = train(precompiled, "--epochs", "300", "--seed", "7");
        assertEquals(train(whole, "--epochs", "300", "--seed", "7"), a);
        assertEquals(train(whole2, "--epochs", "300", "--seed", "7"), a);
        assertTrue(loss(train(whole)) < 0.01);
    }

    @Test
    void theDefaultPathUsesThePrecompiledRuntimeAndTrains() throws Exception {
        TrainerSource xor = xor("");
        // the generated class alone compiles through the public entry point: the precompiled runtime was used
        Class<?> type = InMemoryCompiler.compile(xor);
        assertTrue(precompiled(type).containsAll(Embedded.files(false)), "the precompiled runtime was not used");
        assertTrue(loss(train(type)) < 0.01);
        LoadedTrainer trainer = LoadedTrainer.load(xor);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, trainer.run(new String[] {"--epochs", "2"}, o, o));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("loss"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aTrainerInAPackageCompilesWholeAsBefore() throws Exception {
        TrainerSource xor = xor("com.example.xor");
        Class<?> type = InMemoryCompiler.compile(xor);
        assertEquals("com.example.xor." + xor.className(), type.getName());
        assertEquals(Set.of(), precompiled(type));
        assertEquals("com.example.xor", type.getClassLoader().loadClass("com.example.xor.NncDriver").getPackageName(),
                "the runtime compiled from the text, in the trainer's package");
        assertTrue(loss(train(type)) < 0.01);
    }

    @Test
    void withoutPrecompiledClassesTheWholeTextIsCompiled() throws Exception {
        TrainerSource xor = xor("");
        Class<?> type = InMemoryCompiler.compile(xor, null);
        assertTrue(loss(train(type)) < 0.01);
        assertEquals(Set.of(), precompiled(type), "the runtime is compiled from the text");
    }

    @Test
    void anIncompleteIndexMeansNoPrecompiledRuntime() {
        Map<String, byte[]> all = new HashMap<>(RuntimeClasses.all());
        all.remove("NncPool");
        all.put("NncPool$Worker", new byte[0]); // a nested class alone does not count
        assertNull(RuntimeClasses.select(all, false), "NncPool missing");
        assertNotNull(RuntimeClasses.select(RuntimeClasses.all(), false));
        assertNull(RuntimeClasses.select(null, false));
    }

    @Test
    void theVectorKernelsAreLeftOutOfAPlainTrainer() {
        Map<String, byte[]> all = new HashMap<>(RuntimeClasses.all());
        all.put("NncGemmVector", new byte[0]);
        all.put("NncGemmVector$Tile", new byte[0]);
        Map<String, byte[]> plain = RuntimeClasses.select(all, false);
        assertFalse(plain.containsKey("NncGemmVector") || plain.containsKey("NncGemmVector$Tile"), plain.keySet().toString());
        assertTrue(RuntimeClasses.select(all, true).containsKey("NncGemmVector$Tile"));
        if (!RuntimeClasses.all().containsKey("NncGemmVector")) {
            assertNull(RuntimeClasses.select(RuntimeClasses.all(), true), "a vector trainer without its kernels compiles whole");
        }
    }

    @Test
    void theWarmUpSourceCompilesAgainstTheRuntime() {
        // if the runtime's API changed, simplify WarmupSource.TEXT: it only has to look like a generated trainer
        Class<?> type = InMemoryCompiler.compile(
                new TrainerSource("", WarmupSource.CLASS_NAME, WarmupSource.TEXT, false), RuntimeClasses.forTrainer(false));
        assertEquals(WarmupSource.CLASS_NAME, type.getName());
        Class<?> tiny = InMemoryCompiler.compile(
                new TrainerSource("", WarmupSource.TINY_CLASS_NAME, WarmupSource.TINY, false), RuntimeClasses.forTrainer(false));
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
