package dev.nnc.syntax;

import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenFactory;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;
import org.antlr.v4.runtime.misc.Pair;

/**
 * Makes tokens count columns in UTF-16 chars, as {@link dev.nnc.diag.Pos} does and editors do. ANTLR's
 * lexer counts code points, so after a character outside the BMP (an emoji in a comment or string)
 * every later column on that line would be one short.
 *
 * <pre>
 *   loss = "😀" $    the '$' is at column 12 in chars (11 in code points)
 * </pre>
 */
final class Utf16Columns extends CommonTokenFactory {

    /** {@code beyondBmp[i]}: how many of the first {@code i} code points lie outside the BMP. */
    private final int[] beyondBmp;

    private Utf16Columns(String text) {
        int[] codePoints = text.codePoints().toArray();
        beyondBmp = new int[codePoints.length + 1];
        for (int i = 0; i < codePoints.length; i++) {
            beyondBmp[i + 1] = beyondBmp[i] + (Character.isSupplementaryCodePoint(codePoints[i]) ? 1 : 0);
        }
    }

    /** The factory for {@code text}, or ANTLR's own when every column is the same either way. */
    static TokenFactory<CommonToken> forText(String text) {
        return text.length() == text.codePointCount(0, text.length()) ? CommonTokenFactory.DEFAULT : new Utf16Columns(text);
    }

    @Override
    public CommonToken create(Pair<TokenSource, CharStream> source, int type, String text, int channel,
            int start, int stop, int line, int charPositionInLine) {
        if (start < 0 || charPositionInLine < 0) {
            // a token conjured by error recovery (a missing ')') has no place in the text
            return super.create(source, type, text, channel, start, stop, line, charPositionInLine);
        }
        int at = Math.min(start, beyondBmp.length - 1);
        int lineStart = Math.max(0, at - charPositionInLine);
        int column = charPositionInLine + beyondBmp[at] - beyondBmp[lineStart];
        return super.create(source, type, text, channel, start, stop, line, column);
    }
}
