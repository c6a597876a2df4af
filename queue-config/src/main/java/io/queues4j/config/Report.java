package io.queues4j.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Collects the errors and warnings of one file, each placed at its line through the file's
 * {@link Locations}. Not thread-safe: one per load.
 */
final class Report {
  /** An ISO-8601 duration as {@link Duration#toString()} writes it, e.g. {@code PT1M30S}. */
  private static final Pattern ISO_DURATION = Pattern.compile("-?PT[-0-9.HMS]+");

  private final String source;
  private final Locations locations;
  private final boolean strict;
  private final List<Problem> errors = new ArrayList<>();
  private final List<Problem> warnings = new ArrayList<>();

  Report(String source, Locations locations, boolean strict) {
    this.source = source;
    this.locations = locations;
    this.strict = strict;
  }

  String source() {
    return source;
  }

  void error(String path, String message) {
    errors.add(problem(path, message));
  }

  void warn(String path, String message) {
    warnings.add(problem(path, message));
  }

  /** Reports a key the table does not know: a warning, or an error in strict mode. */
  void unknownKey(String table, String key, Collection<String> known) {
    String suggestion = Spelling.closest(key, known);
    String message =
        "unknown key \"" + key + "\""
            + (suggestion == null ? "" : "; did you mean \"" + suggestion + "\"?")
            + " (known keys: " + String.join(", ", known) + ")";
    if (strict) {
      error(Locations.child(table, key), message);
    } else {
      warn(Locations.child(table, key), message + "; ignored");
    }
  }

  /**
   * Runs a settings-builder call and turns its {@link IllegalArgumentException} into an error
   * that names the key, the value as written and the builder's own range.
   *
   * @return whether the call succeeded
   */
  boolean apply(String path, String written, Runnable builderCall) {
    try {
      builderCall.run();
      return true;
    } catch (IllegalArgumentException e) {
      error(path, key(path) + " = " + written + " is out of range: " + inFileUnits(e.getMessage()));
      return false;
    }
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  List<Problem> errors() {
    return List.copyOf(errors);
  }

  List<Problem> warnings() {
    return List.copyOf(warnings);
  }

  private Problem problem(String path, String message) {
    Locations.Position at = locations.find(path);
    return new Problem(source, at.line(), at.column(), path, message);
  }

  /** Returns the last key of a path: {@code max_retries} of {@code queues.consumers[0].max_retries}. */
  static String key(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? path : path.substring(dot + 1);
  }

  /**
   * Rewrites the durations of a builder's message in seconds, the unit of the files: {@code
   * [PT0S, PT1M] but was PT1M30S} becomes {@code [0 s, 60 s] but was 90 s}.
   */
  static String inFileUnits(@Nullable String message) {
    if (message == null) {
      return "rejected";
    }
    Matcher m = ISO_DURATION.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      try {
        replacement = seconds(Duration.parse(m.group()));
      } catch (RuntimeException notADuration) {
        replacement = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Formats a duration in seconds, with the fraction only when there is one: {@code 0.5 s}. */
  static String seconds(Duration d) {
    long millis = d.toMillis();
    if (millis % 1000 == 0) {
      return millis / 1000 + " s";
    }
    return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
  }
}
