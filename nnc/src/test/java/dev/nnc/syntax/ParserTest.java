package dev.nnc.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.SourceFile;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The parser on good files, the precedence table, and the statement forms. */
class ParserTest {

    static Stream<Arguments> goodFiles() {
        return NnFiles.all().stream().map(p -> Arguments.of(NnFiles.label(p), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodFiles")
    void parsesWithoutDiagnostics(String label, Path file) {
        Program program = NnFiles.parseFile(file);
        assertTrue(!program.models().isEmpty(), label + " has a model");
    }

    @Test
    void goodFilesCoverEveryConstruct() {
        String all = NnFiles.list(NnFiles.GOOD).stream()
                .map(NnFiles::parseFile).map(AstPrinter::sexpr).reduce("", String::concat);
        for (String construct : List.of("(def ", "(input ", "(target ", " onehot)", "(param ", "(~ ", "(= ",
                "(const ", "(bind ", "(loss ", "(output ", "(data ", "(train ", "(data)", "(train)", "h1.W", "(' ",
                "(tensor ", "(call idx \"", "(= lr ", "(- ", "(^ ", "(@ ", "(* ", "(/ ", "(+ ", " [] ", "(call two)")) {
            assertTrue(all.contains(construct), "some good file has " + construct);
        }
    }

    /** source | its s-expression | its canonical source. */
    @ParameterizedTest(name = "{0}  ->  {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            -x^2          | (- (^ x 2))               | -x^2
            2^3^2         | (^ 2 (^ 3 2))             | 2^3^2
            (2^3)^2       | (^ (^ 2 3) 2)             | (2^3)^2
            x^-2          | (^ x (- 2))               | x^-2
            x^-y^2        | (^ x (- (^ y 2)))         | x^-y^2
            x^(-y)^2      | (^ x (^ (- y) 2))         | x^(-y)^2
            -x^-2         | (- (^ x (- 2)))           | -x^-2
            a - b - c     | (- (- a b) c)             | a - b - c
            a - (b - c)   | (- a (- b c))             | a - (b - c)
            a + b - c + d | (+ (- (+ a b) c) d)       | a + b - c + d
            a / b / c     | (/ (/ a b) c)             | a / b / c
            a / (b * c)   | (/ a (* b c))             | a / (b * c)
            a * b @ c     | (@ (* a b) c)             | a * b @ c
            a * (b @ c)   | (* a (@ b c))             | a * (b @ c)
            a @ b * c     | (* (@ a b) c)             | a @ b * c
            a + b * c     | (+ a (* b c))             | a + b * c
            (a + b) * c   | (* (+ a b) c)             | (a + b) * c
            a * b + c     | (+ (* a b) c)             | a * b + c
            -a * b        | (* (- a) b)               | -a * b
            -(a * b)      | (- (* a b))               | -(a * b)
            a * -b        | (* a (- b))               | a * -b
            a - -b        | (- a (- b))               | a - -b
            -a + b        | (+ (- a) b)               | -a + b
            -(a + b)      | (- (+ a b))               | -(a + b)
            (-a)^2        | (^ (- a) 2)               | (-a)^2
            W'@x          | (@ (' W) x)               | W' @ x
            W''           | (' (' W))                 | W''
            x^2'          | (^ x (' 2))               | x^2'
            (x^2)'        | (' (^ x 2))               | (x^2)'
            (a + b)'      | (' (+ a b))               | (a + b)'
            -x'           | (- (' x))                 | -x'
            (-x)'         | (' (- x))                 | (-x)'
            - - x         | (- (- x))                 | - -x
            --x           | (- (- x))                 | - -x
            ((x))         | x                         | x
            .5            | .5                        | .5
            1.5e-3        | 1.5e-3                    | 1.5e-3
            1e3           | 1e3                       | 1e3
            2E+4          | 2E+4                      | 2E+4
            1.            | 1.                        | 1.
            007           | 007                       | 007
            -0.5          | (- 0.5)                   | -0.5
            h1.W @ x      | (@ h1.W x)                | h1.W @ x
            relu(x @ W1 + b1)       | (call relu (+ (@ x W1) b1))     | relu(x @ W1 + b1)
            sgd(lr = 0.01)          | (call sgd (= lr 0.01))          | sgd(lr = 0.01)
            f()                     | (call f)                        | f()
            max(a, -b)^2            | (^ (call max a (- b)) 2)        | max(a, -b)^2
            "a.csv"                 | "a.csv"                         | "a.csv"
            idx("i.gz", "l.gz")     | (call idx "i.gz" "l.gz")        | idx("i.gz", "l.gz")
            [1, 2]                  | (tensor 1 2)                    | [1, 2]
            [[1, 2,], [3, -4],]     | (tensor (tensor 1 2) (tensor 3 (- 4))) | [[1, 2], [3, -4]]
            []                      | (tensor)                        | []
            [1, 2] * x'             | (* (tensor 1 2) (' x))          | [1, 2] * x'
            0.5 * sum((out - y)^2)  | (* 0.5 (call sum (^ (- out y) 2))) | 0.5 * sum((out - y)^2)
            """)
    void precedence(String source, String sexpr, String canonical) {
        Expr e = NnFiles.parseLoss(source);
        assertEquals(sexpr, AstPrinter.sexpr(e), "s-expression of " + source);
        assertEquals(canonical, AstPrinter.source(e), "canonical source of " + source);
    }

    /** statement | its s-expression | its canonical source. */
    @ParameterizedTest(name = "{0}  ->  {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            input x[2]                    | (input x [2])                         | input x[2]
            input x                       | (input x)                             | input x
            input x[]                     | (input x [])                          | input x[]
            input x[3] onehot             | (input x [3] onehot)                  | input x[3] onehot
            target y[10] onehot           | (target y [10] onehot)                | target y[10] onehot
            target y[2,3]                 | (target y [2, 3])                     | target y[2, 3]
            param W1[2, 2] = [[1, 2], [3, 4]] | (param W1 [2, 2] (= (tensor (tensor 1 2) (tensor 3 4)))) | param W1[2, 2] = [[1, 2], [3, 4]]
            param W ~ normal(0, 0.1)      | (param W (~ (call normal 0 0.1)))     | param W ~ normal(0, 0.1)
            param W[3, 4] ~ he            | (param W [3, 4] (~ he))               | param W[3, 4] ~ he
            param b[4]                    | (param b [4])                         | param b[4]
            param x = -3                  | (param x (= (- 3)))                   | param x = -3
            const k = 2 * 0.5             | (const k (* 2 0.5))                   | const k = 2 * 0.5
            h = relu(x)                   | (bind h (call relu x))                | h = relu(x)
            loss = (x)                    | (loss x)                              | loss = x
            output out                    | (output out)                          | output out
            def swish(z) = z * sigmoid(z) | (def swish (z) (* z (call sigmoid z))) | def swish(z) = z * sigmoid(z)
            def k() = 2                   | (def k () 2)                          | def k() = 2
            def f(a,b) = a-b              | (def f (a b) (- a b))                 | def f(a, b) = a - b
            """)
    void statements(String source, String sexpr, String canonical) {
        Program p = NnFiles.parse("stmt.nn", "model m {\n" + source + "\n}\n");
        Stmt s = p.models().get(0).statements().get(0);
        assertEquals(sexpr, AstPrinter.sexpr(s));
        assertEquals("model m {\n    " + canonical + "\n}\n", AstPrinter.source(p));
    }

    @Test
    void blocksAndTopLevelItemsInSourceOrder() {
        Program p = NnFiles.parse("blocks.nn", """
                def a(x) = x
                model m { data { x = [1, 2]; y = [[1], [2]] }; train { optimizer = sgd(lr = 0.1); data = "d.csv" } }
                def b() = 1
                model n { loss = b() }
                """);
        assertEquals("""
                (def a (x) x)
                (model m
                  (data (x (tensor 1 2)) (y (tensor (tensor 1) (tensor 2))))
                  (train (optimizer (call sgd (= lr 0.1))) (data "d.csv")))
                (def b () 1)
                (model n
                  (loss (call b)))
                """, AstPrinter.sexpr(p));
        assertEquals("""
                def a(x) = x

                model m {
                    data {
                        x = [1, 2]
                        y = [[1], [2]]
                    }
                    train {
                        optimizer = sgd(lr = 0.1)
                        data = "d.csv"
                    }
                }

                def b() = 1

                model n {
                    loss = b()
                }
                """, AstPrinter.source(p));
    }

    @Test
    void emptyModelPrints() {
        Program p = NnFiles.parse("empty.nn", "model m {}");
        assertEquals("(model m)\n", AstPrinter.sexpr(p));
        assertEquals("model m {\n}\n", AstPrinter.source(p));
    }

    /** A few syntax errors, to see that they are diagnostics with a place, not exceptions. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            model m { loss = x + }        | 1:22
            model m { loss = (x }         | 1:21
            model m { loss = x $ 2 }      | 1:20
            model m { input x[2.5] }      | 1:19
            model m { loss = 1 2 }        | 1:20
            """)
    void syntaxErrorsHaveAPlace(String source, String where) {
        SourceFile file = new SourceFile("bad.nn", source);
        Diagnostics d = new Diagnostics(file);
        assertNull(Parser.parse(file, d));
        assertTrue(d.hasErrors());
        assertEquals(where, d.sorted().get(0).pos().toString(), d.render());
    }
}
