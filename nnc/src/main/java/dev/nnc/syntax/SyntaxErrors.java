package dev.nnc.syntax;

import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Pos;
import dev.nnc.syntax.antlr.NnLexer;
import dev.nnc.syntax.antlr.NnParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CommonToken;
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
        reportUnexpected(parser, e.getOffendingToken(), e);
    }

    @Override
    protected void reportInputMismatch(Parser parser, InputMismatchException e) {
        report(parser, e.getOffendingToken(), e.getExpectedTokens(), e);
    }

    @Override
    protected void reportFailedPredicate(Parser parser, FailedPredicateException e) {
        reportUnexpected(parser, e.getOffendingToken(), e);
    }

    @Override
    protected void reportUnwantedToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) {
            return;
        }
        beginErrorCondition(parser);
        report(parser, parser.getCurrentToken(), getExpectedTokens(parser), null);
    }

    @Override
    protected void reportMissingToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) {
            return;
        }
        beginErrorCondition(parser);
        report(parser, parser.getCurrentToken(), getExpectedTokens(parser), null);
    }

    private static void reportUnexpected(Parser parser, Token t, RecognitionException e) {
        IntervalSet expected = parser.getExpectedTokens();
        if (expected != null && !expected.isNil() && expected.size() <= 40) {
            report(parser, t, expected, e);
        } else {
            parser.notifyErrorListeners(t, "unexpected " + found(t), e);
        }
    }

    /** "expected ..., found ..." at the place {@link #spot} picks. */
    private static void report(Parser parser, Token offending, IntervalSet expected, RecognitionException e) {
        Token t = spot(parser, offending, expected);
        parser.notifyErrorListeners(t, expectedFound(expected, t) + keywordHint(parser, offending, expected), e);
    }

    /**
     * Where an error is reported. Inside brackets the lexer drops line breaks, so after a missing ')'
     * or ']' the parser first stumbles on the next line; the error belongs at the end of the line
     * before, where the bracket was due: "expected ',' or ')', found end of line".
     */
    private static Token spot(Parser parser, Token t, IntervalSet expected) {
        Token before = previous(parser, t);
        boolean closable = expected.contains(NnLexer.RPAREN) || expected.contains(NnLexer.RBRACKET);
        if (!closable || before == null || before.getType() == NnLexer.NEWLINE || before.getLine() == t.getLine()
                || t.getType() == Token.EOF || t.getType() == NnLexer.RPAREN || t.getType() == NnLexer.RBRACKET) {
            return t;
        }
        CommonToken end = new CommonToken(NnLexer.NEWLINE, "\n");
        end.setLine(before.getLine());
        end.setCharPositionInLine(before.getCharPositionInLine() + before.getText().length());
        return end;
    }

    /** {@code target = ...}: a keyword written where a name goes. */
    private static String keywordHint(Parser parser, Token t, IntervalSet expected) {
        Token before = previous(parser, t);
        return before != null && isKeyword(before) && expected.contains(NnLexer.ID) && "=".equals(t.getText())
                ? "; '" + before.getText() + "' is a keyword, so it cannot name a value"
                : "";
    }

    private static Token previous(Parser parser, Token t) {
        int i = t.getTokenIndex();
        return i > 0 ? parser.getInputStream().get(i - 1) : null;
    }

    private static boolean isKeyword(Token t) {
        String literal = NnParser.VOCABULARY.getLiteralName(t.getType());
        return literal != null && literal.matches("'[a-z]+'");
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
            default -> (isKeyword(t) ? "the keyword '" : "'") + t.getText() + "'";
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
