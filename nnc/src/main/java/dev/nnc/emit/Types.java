package dev.nnc.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.nnc.check.TrainConfig;
import dev.nnc.tensor.Shape;

/** The Java types and literals of one dtype: {@code float} and {@code 0.5f}, or {@code double} and {@code 0.5}. */
final class Types {

    private final boolean f32;

    Types(TrainConfig.DType dtype) {
        this.f32 = dtype == TrainConfig.DType.F32;
    }

    boolean f32() {
        return f32;
    }

    TypeName scalar() {
        return f32 ? TypeName.FLOAT : TypeName.DOUBLE;
    }

    /** {@code float}, {@code float[]} or {@code float[][]} for a shape. */
    TypeName of(Shape shape) {
        TypeName t = scalar();
        for (int i = 0; i < shape.rank(); i++) {
            t = ArrayTypeName.of(t);
        }
        return t;
    }

    CodeBlock literal(double v) {
        return CodeBlock.of("$L", f32 ? number(v) + "f" : number(v));
    }

    /** The number of {@link #literal}, without its suffix: javac and Float.parseFloat read it to the same float. */
    String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v) + (f32 ? "" : ".0");
        }
        return Double.toString(v);
    }

    /** Math's double results narrowed for f32. */
    CodeBlock cast(CodeBlock e) {
        return f32 ? CodeBlock.of("(float) $L", e) : e;
    }
}
