package io.queues4j.server;

import static java.util.Objects.requireNonNull;

import io.queues4j.core.QueueEngine;

/**
 * The one place that turns the {@code store} setting into the engine's message store: {@code
 * memory}, {@code sqlite:<path>} or {@code postgres:<jdbc-url>}. This build has the in-memory store
 * only; the durable stores are separate modules, and a store whose module is not in the build is
 * refused when the setting is read, so {@code --check} reports it.
 */
final class StoreOption {
  static final StoreOption MEMORY = new StoreOption(Kind.MEMORY, "");

  enum Kind {
    MEMORY,
    SQLITE,
    POSTGRES
  }

  private final Kind kind;
  private final String location;

  private StoreOption(Kind kind, String location) {
    this.kind = kind;
    this.location = location;
  }

  /**
   * Parses the setting.
   *
   * @throws IllegalArgumentException if it is none of the three forms, or names a store that this
   *     build does not include
   */
  static StoreOption parse(String text) {
    requireNonNull(text, "text");
    String value = text.trim();
    if (value.equals("memory")) {
      return MEMORY;
    }
    if (value.startsWith("sqlite:") && value.length() > "sqlite:".length()) {
      throw unavailable(value, "queue-sqlite");
    }
    if (value.startsWith("postgres:jdbc:postgresql:")) {
      throw unavailable(redact(value), "queue-postgres");
    }
    throw new IllegalArgumentException(
        "store must be memory, sqlite:<path> or postgres:<jdbc-url> (postgres:jdbc:postgresql://...)"
            + " but was '" + redact(value) + "'");
  }

  private static IllegalArgumentException unavailable(String value, String module) {
    return new IllegalArgumentException(
        "store '" + value + "' is not available in this build (it needs the " + module
            + " module); available: memory");
  }

  /** Hides a password in a JDBC URL ({@code password=...}, {@code user:password@}). */
  static String redact(String value) {
    return value
        .replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
  }

  /** Gives the engine this store. The in-memory store is the engine's own default. */
  void configure(QueueEngine.Builder engine) {
    requireNonNull(engine, "engine");
    if (kind != Kind.MEMORY) {
      throw new IllegalStateException("store " + this + " is not available in this build");
    }
  }

  /** Whether messages outlive the process. */
  boolean durable() {
    return kind != Kind.MEMORY;
  }

  Kind kind() {
    return kind;
  }

  /** The setting as written, passwords hidden. */
  @Override
  public String toString() {
    return kind == Kind.MEMORY ? "memory" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + redact(location);
  }
}
