package dev.nnc.runtime;

/**
 * "Did you mean": the known name nearest to a wrong one, for the trainer's flags, nnc's options
 * and the names of a {@code .nn} file alike, so that every place suggests the same way. Near means
 * within a few edits (insert, delete, replace, swap two neighbours), ignoring case, and fewer for a
 * short name: {@code --epoch} gives {@code --epochs}, {@code Relu} gives {@code relu}, {@code xy}
 * gives nothing. Written without imports, like every runtime file.
 */
public final class NncSuggest {

    private NncSuggest() {}

    /** The name of {@code known} nearest to {@code wrong} (the first in sort order of those as near), or null. */
    public static String nearest(String wrong, Iterable<String> known) {
        String w = wrong.toLowerCase(java.util.Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(w, k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance || (d == bestDistance && k.compareTo(best) < 0)) {
                best = k;
                bestDistance = d;
            }
        }
        int allowed = wrong.length() <= 2 ? 0 : Math.max(1, Math.min(3, wrong.length() / 3));
        return best != null && !best.equals(wrong) && bestDistance <= allowed ? best : null;
    }

    /** Levenshtein distance with adjacent transpositions counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
