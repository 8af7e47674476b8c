package dev.nnc.lower;

import java.util.HashSet;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * Java names for the loop program, given out in a deterministic order: the model's own names where
 * it has them ({@code h1.W} becomes {@code h1_W}), {@code t<node id>} otherwise; never a keyword,
 * never twice.
 */
final class Names {

    private final Set<String> taken = new HashSet<>(Set.of(
            "loss", "sample", "samples", "data", "i", "j", "p", "k", "s", "acc", "max", "sum", "args",
            // locals of the generated methods
            "r", "nb", "row", "ai", "lp", "rp", "lse", "scale", "next", "order", "from", "to", "random", "seed",
            "e", "m", "grad", "denom", "worst", "mNext", "vNext", "stepSize", "bias1", "bias2", "bias2Root", "values", "labels", "code",
            // parameters of generated methods that read model values (setWeights(in), output(into))
            "in", "into",
            // fields of the generated class
            "lr", "step", "gradientsStale",
            // members of a predictor class, and the class of functions it names in expressions
            "INPUT_SIZE", "OUTPUT_SIZE", "SPARE", "spare", "NncMath"));

    Names() {
        taken.remove("loss");
        // the generated loops' numbered locals, and the fields a prediction's transposed weights need
        for (int k = 0; k < 8; k++) {
            taken.add("acc" + k);
            taken.add("lp" + k);
            taken.add("rp" + k);
        }
        taken.add("weightsVersion");
        taken.add("transposedVersion");
    }

    String fresh(String base) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            b.append(Character.isJavaIdentifierPart(c) ? c : '_');
        }
        String name = b.length() == 0 || !Character.isJavaIdentifierStart(b.charAt(0)) ? "v" + b : b.toString();
        if (SourceVersion.isKeyword(name) || name.endsWith("_rows")) {
            // the batched trainer names the rows of value v v_rows
            name = name + "_";
        }
        String candidate = name;
        for (int n = 2; !taken.add(candidate); n++) {
            candidate = name + n;
        }
        return candidate;
    }
}
