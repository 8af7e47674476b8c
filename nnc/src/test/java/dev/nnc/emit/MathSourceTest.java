package dev.nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.ops.Fn;
import dev.nnc.runtime.NncMath;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A predictor's functions are the runtime's {@code NncMath} methods copied from its source: each
 * function generated code can call, in either precision, compiles on its own and gives NncMath's
 * values bit for bit; only what a method uses comes along.
 */
class MathSourceTest {

    /** Every method generated code names: each function's, and those of max, min, ge and logsumexp. */
    static Stream<Arguments> methods() {
        List<Arguments> all = new ArrayList<>();
        List<String> names = new ArrayList<>(Stream.of(Fn.values()).map(Fn::javaMethod).toList());
        names.addAll(List.of("max", "min", "ge", "logsumexp"));
        for (String name : names) {
            all.add(Arguments.of(name, true));
            all.add(Arguments.of(name, false));
        }
        return all.stream();
    }

    private static final double[] POINTS = {-40, -2.6, -1, -0.3, -0.0, 0, 1e-9, 0.25, 1, 2.4, 2.6, 40, Double.NaN};

    @ParameterizedTest(name = "{0}, f32 {1}")
    @MethodSource("methods")
    void theCopyComputesAsTheRuntime(String name, boolean f32) throws ReflectiveOperationException {
        Class<?> copy = compiled(MathSource.functions("Functions", Set.of(name), f32, "The copy.\n"));
        Class<?> scalar = f32 ? float.class : double.class;
        for (Method theirs : NncMath.class.getMethods()) {
            if (!theirs.getName().equals(name) || !List.of(scalar, scalar.arrayType()).contains(theirs.getParameterTypes()[0])) {
                continue;
            }
            Method ours = copy.getDeclaredMethod(name, theirs.getParameterTypes());
            ours.setAccessible(true);
            for (double x : POINTS) {
                for (double a : new double[] {0.02, 1.5}) {
                    Object[] args = arguments(theirs.getParameterTypes(), x, a);
                    assertEquals(theirs.invoke(null, args), ours.invoke(null, args), name + " at " + x + ", " + a);
                }
            }
        }
    }

    /** The values of a call: {@code x} (or a vector around it) and the parameter {@code a}, in the parameters' types. */
    private static Object[] arguments(Class<?>[] types, double x, double a) {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            double v = i == 0 ? x : a;
            if (types[i] == float.class) {
                args[i] = (float) v;
            } else if (types[i] == double.class) {
                args[i] = v;
            } else if (types[i] == float[].class) {
                args[i] = new float[] {(float) v, (float) (v / 3), 1f};
            } else {
                args[i] = new double[] {v, v / 3, 1};
            }
        }
        return args;
    }

    @Test
    void onlyWhatTheMethodsUseComesAlong() {
        TypeSpec relu = MathSource.functions("F", Set.of("relu"), true, "");
        assertEquals(List.of("<init>", "relu"), relu.methodSpecs().stream().map(MethodSpec::name).toList());
        assertEquals(List.of(), relu.fieldSpecs());
        TypeSpec gelu = MathSource.functions("F", Set.of("gelu", "tanh"), true, "");
        // gelu(float) widens to gelu(double), which needs Phi and erfc; erf and gelu' stay out
        assertEquals(List.of("<init>", "tanh", "gelu", "gelu", "normalCdf", "erfc", "erfSeries", "erfcFraction"),
                gelu.methodSpecs().stream().map(MethodSpec::name).toList());
        assertEquals(List.of("SQRT1_2", "TWO_OVER_SQRT_PI", "INV_SQRT_PI"), gelu.fieldSpecs().stream().map(FieldSpec::name).toList());
        assertEquals(List.of("float", "float", "double", "double", "double", "double", "double"),
                gelu.methodSpecs().stream().skip(1).map(m -> m.parameters().get(0).type().toString()).toList());
    }

    @Test
    void aMethodNncMathLacksIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MathSource.functions("F", Set.of("relu", "swish"), false, ""));
        assertEquals("NncMath has no double method [swish]", e.getMessage());
    }

    private static Class<?> compiled(TypeSpec functions) throws ClassNotFoundException {
        String source = JavaFile.builder("", TypeSpec.classBuilder("Holder").addType(functions).build()).build().toString();
        assertFalse(source.contains("dev.nnc"), source);
        Class<?> holder = InMemoryCompiler.compile("", "Holder", source);
        return Class.forName("Holder$" + functions.name(), true, holder.getClassLoader());
    }
}
