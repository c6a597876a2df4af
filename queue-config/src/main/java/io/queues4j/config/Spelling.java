package io.queues4j.config;

import java.util.Collection;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Suggests the key a person probably meant, by edit distance. */
final class Spelling {
  private Spelling() {}

  /**
   * Returns the known key closest to {@code key}: its snake_case form if that is known
   * ({@code maxBatchSize} to {@code max_batch_size}), else the nearest by Levenshtein distance,
   * ignoring case, when it is near enough (at most 2 edits, or a third of the key's length),
   * else the first known key it abbreviates ({@code prod} for {@code production}), else null.
   */
  static @Nullable String closest(String key, Collection<String> known) {
    String snake = snakeCase(key);
    if (known.contains(snake)) {
      return snake;
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(snake, snakeCase(candidate));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, snake.length() / 3);
    if (bestDistance <= allowed) {
      return best;
    }
    if (snake.length() >= 3) { // an abbreviation: "prod" for "production"
      for (String candidate : known) {
        if (snakeCase(candidate).startsWith(snake)) {
          return candidate;
        }
      }
    }
    return null;
  }

  /** Returns {@code max_batch_size} for {@code maxBatchSize} or {@code max-batch-size}. */
  static String snakeCase(String key) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c)) {
        char previous = i > 0 ? key.charAt(i - 1) : '_';
        if (Character.isLowerCase(previous) || Character.isDigit(previous)) {
          s.append('_');
        }
        s.append(Character.toLowerCase(c));
      } else {
        s.append(c == '-' ? '_' : c);
      }
    }
    return s.toString().toLowerCase(Locale.ROOT);
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
