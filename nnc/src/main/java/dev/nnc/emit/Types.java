package dev.nnc.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.nnc.check.TrainConfig;
import dev.nnc.lower.Var;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import javax.lang.model.element.Modifier;

/** The Java types, literals and buffer fields of one dtype: {@code float} and {@code 0.5f}, or {@code double} and {@code 0.5}. */
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

    /** The private field of a loop program's buffer, allocated once unless a scalar; {@code doc} may be null. */
    FieldSpec buffer(Var v, String doc) {
        FieldSpec.Builder f = FieldSpec.builder(of(v.shape()), v.name()).addModifiers(Modifier.PRIVATE);
        if (!v.isScalar()) {
            f.addModifiers(Modifier.FINAL).initializer(allocation(v.shape()));
        }
        if (doc != null) {
            f.addJavadoc("$L\n", doc.substring(0, 1).toUpperCase() + doc.substring(1) + ".");
        }
        return f.build();
    }

    private CodeBlock allocation(Shape s) {
        return s.rank() == 1 ? CodeBlock.of("new $T[$L]", scalar(), s.dim(0))
                : CodeBlock.of("new $T[$L][$L]", scalar(), s.dim(0), s.dim(1));
    }

    /** A constant tensor's array initializer on one line: {@code {{1f, 2f}, {3f, 4f}}}. */
    CodeBlock literal(Tensor value) {
        Shape s = value.shape();
        CodeBlock.Builder b = CodeBlock.builder().add("{");
        int rows = s.rank() == 2 ? s.dim(0) : 1;
        int cols = s.dim(s.rank() - 1);
        for (int i = 0; i < rows; i++) {
            b.add(i == 0 ? "" : ", ").add(s.rank() == 2 ? "{" : "");
            for (int j = 0; j < cols; j++) {
                b.add(j == 0 ? "" : ", ").add(literal(value.get(i * cols + j)));
            }
            b.add(s.rank() == 2 ? "}" : "");
        }
        return b.add("}").build();
    }

    /**
     * A value of this dtype, exactly and in its shortest form: {@code -0.5512307f} for the float whose
     * double is -0.551230728626251, {@code 0.1} for a double. For weights, which are floats in f32.
     */
    String exact(double v) {
        return f32 ? Float.toString((float) v) + "f" : Double.toString(v);
    }

    /** Math's double results narrowed for f32. */
    CodeBlock cast(CodeBlock e) {
        return f32 ? CodeBlock.of("(float) $L", e) : e;
    }
}
