package io.queues4j.server;

import java.util.Collection;
import java.util.Locale;

/** Suggests the name a person probably meant (a flag, a variable, a key), by edit distance. */
final class Spelling {
  private Spelling() {}

  /**
   * Returns {@code " (did you mean X?)"} for the known name nearest to {@code name}, ignoring
   * case, if it is at most 2 edits (or a third of the name's length) away; else the empty string.
   */
  static String suggest(String name, Collection<String> known) {
    String wanted = name.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(wanted, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(2, wanted.length() / 3)
        ? " (did you mean " + best + "?)"
        : "";
  }

  /** Levenshtein distance: the fewest insertions, deletions and substitutions from a to b. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
