package io.queues4j.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A configuration file that cannot be used. It lists every problem found in the file, not only
 * the first, each with its file, line, key path, bad value and what is allowed; its message shows
 * them one per line.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The source's errors, in file order as far as it is known (an immutable, serializable list). */
  @SuppressWarnings("serial") // List.copyOf is serializable; the declared type cannot say so
  private final List<Problem> problems;

  /**
   * Creates the exception.
   *
   * @param source the file name
   * @param problems the errors, at least one
   * @throws IllegalArgumentException if {@code problems} is empty
   */
  ConfigException(String source, List<Problem> problems) {
    super(message(source, problems));
    this.problems = List.copyOf(problems);
  }

  private static String message(String source, List<Problem> problems) {
    requireNonNull(source, "source");
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    StringBuilder s = new StringBuilder(source).append(" is invalid (").append(problems.size())
        .append(problems.size() == 1 ? " problem):" : " problems):");
    for (Problem p : problems) {
      s.append("\n  ").append(p);
    }
    return s.toString();
  }

  /**
   * Returns every error found in the file.
   *
   * @return at least one problem, unmodifiable
   */
  public List<Problem> problems() {
    return problems;
  }
}
