package io.queues4j.config;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * One problem found in a configuration file: an error (in a {@link ConfigException}) or a warning
 * (in {@link QueueConfig#warnings()}).
 *
 * <p>{@link #toString()} gives the form a person reads, for example:
 *
 * <pre>{@code
 * wrangler.toml:14:1: queues.consumers[0].max_batch_size: max_batch_size = 500 is out of range: maxBatchSize must be in [1, 100] but was 500
 * }</pre>
 *
 * @param source the file name (or the name given to {@link ConfigLoader#parse})
 * @param line the 1-based line, or 0 when unknown
 * @param column the 1-based column, or 0 when unknown
 * @param path the key path, for example {@code queues.consumers[0].max_batch_size}; empty for the
 *     file as a whole
 * @param message what is wrong and, where it applies, the bad value and what is allowed
 */
public record Problem(String source, int line, int column, String path, String message)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Validates the components.
   *
   * @param source see the record description
   * @param line see the record description
   * @param column see the record description
   * @param path see the record description
   * @param message see the record description
   * @throws IllegalArgumentException if {@code line} or {@code column} is negative
   */
  public Problem {
    requireNonNull(source, "source");
    requireNonNull(path, "path");
    requireNonNull(message, "message");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException(
          "line and column must be at least 0 but were " + line + " and " + column);
    }
  }

  /** Returns {@code source:line:column: path: message}, leaving out what is unknown. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(source);
    if (line > 0) {
      s.append(':').append(line);
      if (column > 0) {
        s.append(':').append(column);
      }
    }
    s.append(": ");
    if (!path.isEmpty()) {
      s.append(path).append(": ");
    }
    return s.append(message).toString();
  }
}
