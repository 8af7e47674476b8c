package dev.nnc.emit;

import com.palantir.javapoet.ClassName;

/**
 * The classes of the runtime library ({@code nnc-runtime}, package {@value #PACKAGE}) that generated
 * code names. JavaPoet imports them; {@link TrainerSource} either ships the library's sources beside
 * the class or, for a single file, drops those imports and appends the sources.
 */
final class Runtime {

    static final String PACKAGE = "dev.nnc.runtime";

    static final ClassName MODEL = ClassName.get(PACKAGE, "NncModel");
    /** The public API every generated class has: {@code dev.nnc.runtime.Model}. */
    static final ClassName PUBLIC_MODEL = ClassName.get(PACKAGE, "Model");
    static final ClassName GENERATED_MODEL = ClassName.get(PACKAGE, "GeneratedModel");
    static final ClassName PUBLIC_SCHEMA = ClassName.get(PACKAGE, "Schema");
    static final ClassName VARIABLE = PUBLIC_SCHEMA.nestedClass("Variable");
    static final ClassName BINARY = PUBLIC_SCHEMA.nestedClass("Binary");
    static final ClassName READER = ClassName.get(PACKAGE, "Dataset").nestedClass("Reader");
    static final ClassName SUPPORT = ClassName.get(PACKAGE, "NncSupport");
    static final ClassName SCHEMA = SUPPORT.nestedClass("Schema");
    static final ClassName DATASET = SUPPORT.nestedClass("Dataset");
    static final ClassName SPLIT_MIX = SUPPORT.nestedClass("SplitMix64");
    static final ClassName DROPOUT = ClassName.get(PACKAGE, "NncDropout");
    static final ClassName DRIVER = ClassName.get(PACKAGE, "NncDriver");
    static final ClassName DEFAULTS = DRIVER.nestedClass("Defaults");
    static final ClassName SCHEDULE = ClassName.get(PACKAGE, "LearningRateSchedule");
    static final ClassName GEMM = ClassName.get(PACKAGE, "NncGemm");
    static final ClassName MATH = ClassName.get(PACKAGE, "NncMath");
    static final ClassName ARRAYS = ClassName.get(PACKAGE, "NncArrays");
    static final ClassName GEMM_VECTOR = ClassName.get(PACKAGE, "NncGemmVector");

    private Runtime() {}
}
