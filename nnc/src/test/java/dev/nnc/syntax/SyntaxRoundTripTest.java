package dev.nnc.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diag.Pos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link AstPrinter#source} prints text that parses back to the same AST, and is a fixpoint. */
class SyntaxRoundTripTest {

    static Stream<Arguments> files() {
        return NnFiles.all().stream().map(p -> Arguments.of(NnFiles.label(p), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void sourceParsesBackToTheSameAst(String label, Path file) {
        Program original = NnFiles.parseFile(file);
        String printed = AstPrinter.source(original);
        Program reparsed = NnFiles.parse(label + " (printed)", printed);
        assertEquals(AstPrinter.sexpr(original), AstPrinter.sexpr(reparsed), "printed as:\n" + printed);
        assertEquals(printed, AstPrinter.source(reparsed), "source is not a fixpoint");
    }

    private static final int RANDOM_EXPRESSIONS = 2_000;
    private static final int MAX_DEPTH = 6;
    private static final Pos P = Pos.START;
    private static final String[] NUMBERS = {"0.5", "2", "1e-3", ".5", "1.5e-3", "10", "3.", "1E+2"};
    private static final String[] NAMES = {"x", "W", "b1", "h1.W", "h1.b", "y"};
    private static final String[] FUNCTIONS = {"relu", "sum", "max", "f", "dot"};
    private static final Expr.BinaryOp[] OPS = Expr.BinaryOp.values();

    @Test
    void randomExpressionsRoundTrip() {
        Random random = new Random(20240611L);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < RANDOM_EXPRESSIONS; i++) {
            Expr e = randomExpr(random, MAX_DEPTH);
            String text = AstPrinter.source(e);
            String expected = AstPrinter.sexpr(e);
            String actual = AstPrinter.sexpr(NnFiles.parseLoss(text));
            if (!expected.equals(actual)) {
                failures.add(text + "\n    expected " + expected + "\n    parsed   " + actual);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + RANDOM_EXPRESSIONS
                + " expressions did not round-trip, the first:\n" + String.join("\n", failures.subList(0,
                Math.min(5, failures.size()))));
    }

    @Test
    void randomExpressionsUseEveryForm() {
        Random random = new Random(20240611L);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < RANDOM_EXPRESSIONS; i++) {
            all.append(AstPrinter.sexpr(randomExpr(random, MAX_DEPTH)));
        }
        for (String form : List.of("(+ ", "(- ", "(* ", "(/ ", "(@ ", "(^ ", "(' ", "(call ", "(= ", "(tensor ", "(index ", "(: ")) {
            assertTrue(all.indexOf(form) >= 0, "the generator makes " + form);
        }
    }

    private static Expr randomExpr(Random r, int depth) {
        if (depth == 0 || r.nextInt(5) == 0) {
            return r.nextBoolean()
                    ? new Expr.Num(0, NUMBERS[r.nextInt(NUMBERS.length)], P)
                    : new Expr.Ref(NAMES[r.nextInt(NAMES.length)], P);
        }
        int kind = r.nextInt(11);
        if (kind < 5) {
            return new Expr.Binary(OPS[r.nextInt(OPS.length)], randomExpr(r, depth - 1), randomExpr(r, depth - 1), P);
        } else if (kind < 7) {
            return new Expr.Neg(randomExpr(r, depth - 1), P);
        } else if (kind < 8) {
            return new Expr.Transpose(randomExpr(r, depth - 1), P);
        } else if (kind == 10) {
            // x[a], x[a:b], x[:b], x[a:], x[:], one or two subscripts
            List<Expr.Subscript> subscripts = new ArrayList<>();
            for (int i = 1 + r.nextInt(2); i > 0; i--) {
                int form = r.nextInt(4);
                Expr a = randomExpr(r, depth - 1);
                Expr b = randomExpr(r, depth - 1);
                subscripts.add(form == 0 ? new Expr.Subscript(a, null, null, P)
                        : new Expr.Subscript(null, form == 2 ? null : a, form == 3 ? null : b, P));
            }
            return new Expr.Index(randomExpr(r, depth - 1), subscripts, P);
        } else if (kind < 9) {
            List<Expr.Arg> args = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                String name = r.nextInt(4) == 0 ? "k" + i : null;
                args.add(new Expr.Arg(name, randomExpr(r, depth - 1), P));
            }
            return new Expr.Call(FUNCTIONS[r.nextInt(FUNCTIONS.length)], args, P);
        }
        List<Expr> elements = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            elements.add(randomExpr(r, depth - 1));
        }
        return new Expr.Tensor(elements, P);
    }
}
