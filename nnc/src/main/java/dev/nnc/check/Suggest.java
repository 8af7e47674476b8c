package dev.nnc.check;

import dev.nnc.runtime.NncSuggest;
import java.util.Collection;

/** "Did you mean" in a diagnostic: the runtime's one rule of nearness ({@link NncSuggest}), in the checker's words. */
final class Suggest {

    private Suggest() {}

    /** {@code "; did you mean 'x'?"}, or the empty string when nothing is close. */
    static String didYouMean(String wrong, Collection<String> known) {
        String best = NncSuggest.nearest(wrong, known);
        return best == null ? "" : "; did you mean '" + best + "'?";
    }
}
