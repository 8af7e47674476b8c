package dev.nnc.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Pipeline;
import dev.nnc.diag.CompileError;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.SourceFile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Absurdly deep input ends in a diagnostic or a result, never a StackOverflowError or another crash. */
class SyntaxDeepNestingTest {

    private static final Duration A_FEW_SECONDS = Duration.ofSeconds(10);

    private static String model(String loss) {
        return "model m {\n    input x\n    loss = " + loss + "\n}\n";
    }

    private static String nestedParens(int depth) {
        return "(".repeat(depth) + "x" + ")".repeat(depth);
    }

    /** Runs the front end; a CompileError is returned as its first diagnostic, success as null. */
    private static Diagnostic check(String name, String text) {
        return assertTimeoutPreemptively(A_FEW_SECONDS, () -> {
            try {
                Pipeline.check(new SourceFile(name, text), null);
                return null;
            } catch (CompileError e) {
                return e.diagnostics().sorted().get(0);
            } catch (Throwable e) {
                return fail(name + ": expected a result or a CompileError, got " + e, e);
            }
        }, name + " took too long");
    }

    @Test
    void twentyThousandParenthesesAreADiagnostic() {
        Diagnostic d = check("parens20000.nn", model(nestedParens(20_000)));
        assertTrue(d != null, "expected a diagnostic");
        assertTrue(d.message().contains("nested"), d.toString());
        // The first bracket past the limit: line 3, after "    loss = " and MAX_BRACKETS "(".
        assertEquals("3:" + (12 + Parser.MAX_BRACKETS), d.pos().toString());
    }

    @Test
    void parenthesesAtTheLimitAreAccepted() {
        Diagnostic d = check("parensAtLimit.nn", model(nestedParens(Parser.MAX_BRACKETS)));
        assertEquals(null, d, "nested parentheses up to the limit are accepted");
    }

    @Test
    void oneParenthesisPastTheLimitIsADiagnostic() {
        Diagnostic d = check("parensPastLimit.nn", model(nestedParens(Parser.MAX_BRACKETS + 1)));
        assertTrue(d != null && d.message().contains("nested"), String.valueOf(d));
    }

    @Test
    void nestedTensorLiteralsAreADiagnostic() {
        Diagnostic d = check("tensors.nn", "model m {\n    param p = " + "[".repeat(20_000) + "1"
                + "]".repeat(20_000) + "\n    loss = p\n}\n");
        assertTrue(d != null && d.message().contains("nested"), String.valueOf(d));
    }

    @Test
    void twentyThousandUnaryMinusesDoNotCrash() {
        Diagnostic d = check("neg20000.nn", model("- ".repeat(20_000) + "x"));
        assertTrue(d != null && d.message().contains("deep"), String.valueOf(d));
    }

    @Test
    void twentyThousandPowersDoNotCrash() {
        Diagnostic d = check("pow20000.nn", model("x" + "^x".repeat(20_000)));
        assertTrue(d != null && d.message().contains("deep"), String.valueOf(d));
    }

    @Test
    void twentyThousandTransposesDoNotCrash() {
        Diagnostic d = check("tick20000.nn", model("x" + "'".repeat(20_000)));
        assertTrue(d != null && d.message().contains("deep"), String.valueOf(d));
    }

    @Test
    void aSumOfFiveThousandTermsDoesNotCrash() {
        check("sum5000.nn", model("x" + " + x".repeat(4_999)));
    }

    @Test
    void aSumOfFiveHundredTermsIsFine() {
        assertEquals(null, check("sum500.nn", model("x" + " + x".repeat(499))));
    }

    @Test
    void manyErrorsStopAtTheLimit() {
        CompileError e = assertThrows(CompileError.class,
                () -> Pipeline.check(new SourceFile("many.nn", "model m {\n" + "  loss = $\n".repeat(5_000) + "}"), null));
        assertTrue(e.diagnostics().count() <= dev.nnc.diag.Diagnostics.LIMIT);
    }
}
