package dev.nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.Pipeline;
import dev.nnc.diag.SourceFile;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which models are binary classifiers and how their output reads ({@link BinaryClassifier}): the body
 * of a model with {@code input x[2]}, {@code target y[1]} (and {@code target t[2]}, {@code target c[3] onehot}),
 * and the expected result: {@code logit y}, {@code probability y}, or {@code none}.
 */
class BinaryClassifierTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // the loss's own argument is the output
        "z = dense(x, 1); loss = bce_logits(z, y); output z                               | logit y",
        "p = dense(x, 1, sigmoid); loss = bce(p, y); output p                             | probability y",
        // the output is the sigmoid of bce_logits' logit, or the logit inside bce's sigmoid
        "z = dense(x, 1); loss = bce_logits(z, y); p = sigmoid(z); output p               | probability y",
        "z = dense(x, 1); loss = bce(sigmoid(z), y); output z                             | logit y",
        "z = dense(x, 1); p = sigmoid(z); loss = bce(p, y); output z                      | logit y",
        // the same value written again, or reached through names, or inside a larger loss
        "param w[1, 2]; param b[1]; loss = bce_logits(w @ x + b, y); z = w @ x + b; output z | logit y",
        "param w[1, 2]; z = w @ x; loss = 0.01 * sum(w^2) + bce_logits(w @ x, y); output z | logit y",
        "z = dense(x, 1); l = bce_logits(z, y); loss = l; output z                        | logit y",
        "z = dense(x, 1); p = sigmoid(z); q = p; loss = bce(q, y); output p               | probability y",
        // not classifiers: another loss, no output, an output the loss does not read, a wider target
        "z = dense(x, 1); loss = mse(z, y); output z                                      | none",
        "z = dense(x, 1); loss = bce_logits(z, y)                                         | none",
        "z = dense(x, 1); loss = bce_logits(z, y); q = 2 * z; output q                    | none",
        "z = dense(x, 1); loss = bce(z, y); p = sigmoid(z); output p                      | none",
        "z = dense(x, 2); loss = bce_logits(z, t); output z                               | none",
        "z = dense(x, 3); loss = cross_entropy(z, c); output z                            | none",
    })
    void readsTheOutputAsTheLossDoes(String body, String expected) {
        String source = "model m {\n input x[2]\n target y[1]\n target t[2]\n target c[3] onehot\n"
                + body.replace("; ", "\n") + "\n}\n";
        CheckedModel model = Pipeline.check(new SourceFile("m.nn", source), null);
        Optional<BinaryClassifier> found = BinaryClassifier.of(model);
        assertEquals(expected, found.map(b -> (b.logit() ? "logit " : "probability ") + b.target()).orElse("none"), source);
    }
}
