package dev.nnc.syntax;

import dev.nnc.diag.DeepStack;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Pos;
import dev.nnc.diag.SourceFile;
import dev.nnc.syntax.antlr.NnLexer;
import dev.nnc.syntax.antlr.NnParser;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;

/**
 * The syntax stage: source text to {@link Program}.
 *
 * <pre>
 *   model m { param x = -3; loss = x^2 }   -&gt;   Program[models=[Model[m, [Param x, Loss x^2]]]]
 * </pre>
 *
 * Syntax errors go into the diagnostics and the result is null. Nesting is bounded: brackets deeper
 * than {@link #MAX_BRACKETS} and expressions deeper than {@link #MAX_DEPTH} are errors, so no later
 * pass can overflow.
 */
public final class Parser {

    /** How deep an expression may be (long operator chains count). Tutorials stay under 20. */
    public static final int MAX_DEPTH = 1000;

    /**
     * How deep brackets may nest. Lower than {@link #MAX_DEPTH} because ANTLR's recovery from
     * unclosed brackets takes time growing with the square of their depth.
     */
    public static final int MAX_BRACKETS = 256;

    private Parser() {}

    public static Program parse(SourceFile source, Diagnostics diagnostics) {
        return DeepStack.call(() -> parseHere(source, diagnostics));
    }

    private static Program parseHere(SourceFile source, Diagnostics diagnostics) {
        NnLexer lexer = new NnLexer(CharStreams.fromString(source.text(), source.path()));
        lexer.removeErrorListeners();
        lexer.setTokenFactory(Utf16Columns.forText(source.text()));
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        if (!bracketsWithinLimit(tokens, diagnostics)) {
            return null;
        }
        NnParser parser = new NnParser(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(new SyntaxErrors());
        parser.addErrorListener(new SyntaxErrors.Listener(diagnostics));
        NnParser.FileContext tree;
        try {
            tree = parser.file();
        } catch (StackOverflowError e) {
            diagnostics.error(Pos.START, "expected at most " + MAX_DEPTH + " levels of nesting, found more");
            return null;
        }
        if (diagnostics.hasErrors()) {
            return null;
        }
        Program program = new AstBuilder(source).createProgram(tree);
        if (program.models().isEmpty()) {
            diagnostics.error(endOf(tokens), source.text().isBlank()
                    ? "the file is empty: expected a model, 'model NAME { ... }'"
                    : "expected a model, 'model NAME { ... }', found none");
            return null;
        }
        new DepthCheck(diagnostics).check(program);
        return diagnostics.hasErrors() ? null : program;
    }

    private static boolean bracketsWithinLimit(CommonTokenStream tokens, Diagnostics diagnostics) {
        int depth = 0;
        for (Token t : tokens.getTokens()) {
            if (t.getType() == NnLexer.LPAREN || t.getType() == NnLexer.LBRACKET) {
                if (++depth > MAX_BRACKETS) {
                    diagnostics.error(new Pos(t.getLine(), t.getCharPositionInLine() + 1),
                            "expected at most " + MAX_BRACKETS + " nested brackets, found more");
                    return false;
                }
            } else if (t.getType() == NnLexer.RPAREN || t.getType() == NnLexer.RBRACKET) {
                depth = Math.max(0, depth - 1);
            }
        }
        return true;
    }

    private static Pos endOf(CommonTokenStream tokens) {
        Token last = tokens.get(tokens.size() - 1);
        return new Pos(last.getLine(), last.getCharPositionInLine() + 1);
    }
}
