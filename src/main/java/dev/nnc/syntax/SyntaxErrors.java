package dev.nnc.syntax;

import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Pos;
import dev.nnc.syntax.antlr.NnLexer;
import dev.nnc.syntax.antlr.NnParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.FailedPredicateException;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery, with messages in the project's words: "expected ')', found 'x'". Only the first
 * error of a line is kept; the ones after it on the same line are nearly always its echo.
 */
final class SyntaxErrors extends DefaultErrorStrategy {

    /** Receives what the strategy reports and puts it into the diagnostics. */
    static final class Listener extends BaseErrorListener {
        private final Diagnostics diagnostics;
        private int lastLine = -1;

        Listener(Diagnostics diagnostics) {
            this.diagnostics = diagnostics;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col,
                String msg, RecognitionException e) {
            if (line == lastLine) {
                return;
            }
            lastLine = line;
            diagnostics.error(new Pos(line, col + 1), msg);
        }
    }

    @Override
    protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
        parser.notifyErrorListeners(e.getOffendingToken(), unexpected(e.getOffendingToken(), parser), e);
    }

    @Override
    protected void reportInputMismatch(Parser parser, InputMismatchException e) {
        parser.notifyErrorListeners(e.getOffendingToken(), expectedFound(e.getExpectedTokens(), e.getOffendingToken()), e);
    }

    @Override
    protected void reportFailedPredicate(Parser parser, FailedPredicateException e) {
        parser.notifyErrorListeners(e.getOffendingToken(), unexpected(e.getOffendingToken(), parser), e);
    }

    @Override
    protected void reportUnwantedToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) {
            return;
        }
        beginErrorCondition(parser);
        Token t = parser.getCurrentToken();
        parser.notifyErrorListeners(t, expectedFound(getExpectedTokens(parser), t), null);
    }

    @Override
    protected void reportMissingToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) {
            return;
        }
        beginErrorCondition(parser);
        Token t = parser.getCurrentToken();
        parser.notifyErrorListeners(t, expectedFound(getExpectedTokens(parser), t), null);
    }

    private static String unexpected(Token t, Parser parser) {
        IntervalSet expected = parser.getExpectedTokens();
        if (expected != null && !expected.isNil() && expected.size() <= 40) {
            return expectedFound(expected, t);
        }
        return "unexpected " + found(t);
    }

    static String expectedFound(IntervalSet expected, Token found) {
        return "expected " + describe(expected) + ", found " + found(found);
    }

    /** What was found, as a person would name it. */
    static String found(Token t) {
        return switch (t.getType()) {
            case Token.EOF -> "end of file";
            case NnLexer.NEWLINE -> "end of line";
            case NnLexer.UNKNOWN -> "character '" + t.getText() + "'";
            case NnLexer.STRING -> "string " + t.getText();
            case NnLexer.INT, NnLexer.FLOAT -> "number " + t.getText();
            default -> "'" + t.getText() + "'";
        };
    }

    /** What was expected: token classes collapse into words ("an expression", "a statement"). */
    static String describe(IntervalSet expected) {
        List<String> words = new ArrayList<>();
        boolean statement = containsLiteral(expected, "'param'");
        boolean expression = expected.contains(NnLexer.ID) && expected.contains(NnLexer.INT)
                && expected.contains(NnLexer.LPAREN);
        if (statement) {
            words.add("a statement");
        } else if (expression) {
            words.add("an expression");
        }
        for (int type : expected.toList()) {
            String literal = NnParser.VOCABULARY.getLiteralName(type);
            if (statement && (literal != null || type == NnLexer.ID)) {
                if (!"'}'".equals(literal)) {
                    continue;
                }
            }
            if (expression && (type == NnLexer.ID || type == NnLexer.INT || type == NnLexer.FLOAT
                    || type == NnLexer.LPAREN || type == NnLexer.LBRACKET || type == NnLexer.STRING
                    || "'-'".equals(literal))) {
                continue;
            }
            String word = switch (type) {
                case Token.EOF -> "end of file";
                case NnLexer.NEWLINE -> "end of line";
                case NnLexer.ID -> "a name";
                case NnLexer.INT -> "a whole number";
                case NnLexer.FLOAT -> "a number";
                case NnLexer.STRING -> "a string";
                case NnLexer.LPAREN -> "'('";
                case NnLexer.RPAREN -> "')'";
                case NnLexer.LBRACKET -> "'['";
                case NnLexer.RBRACKET -> "']'";
                case NnLexer.TICK -> "'''";
                default -> literal != null ? literal : NnParser.VOCABULARY.getDisplayName(type);
            };
            if (word.equals("';'") && expected.contains(NnLexer.NEWLINE)) {
                continue;
            }
            if (!words.contains(word)) {
                words.add(word);
            }
        }
        if (words.isEmpty()) {
            return "something else";
        }
        if (words.size() == 1) {
            return words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    private static boolean containsLiteral(IntervalSet set, String literal) {
        for (int type : set.toList()) {
            if (literal.equals(NnParser.VOCABULARY.getLiteralName(type))) {
                return true;
            }
        }
        return false;
    }
}
