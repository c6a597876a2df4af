package io.queues4j.server;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.queues4j.core.QueueEngine;
import io.queues4j.postgres.PostgresStore;
import io.queues4j.spi.MessageStore;
import io.queues4j.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one place that turns the {@code store} setting into the engine's message store: {@code
 * memory}, {@code sqlite:<path>} (the default, {@code sqlite:queues4j.db}) or {@code
 * postgres:<jdbc-url>}, with the settings of each durable store (SQLite durability; PostgreSQL
 * schema, password and connections). Parsing checks the values without opening anything, so
 * {@code --check} reports a bad one; {@link #open()} opens the store when the server starts.
 *
 * <p>Immutable. The PostgreSQL password is held but never printed: {@link #toString()} hides it.
 */
final class StoreOption {
  /** The default store's file, relative to the working directory. */
  static final String DEFAULT_SQLITE_FILE = "queues4j.db";

  static final String DEFAULT_SCHEMA = "queues4j";
  static final int DEFAULT_CONNECTIONS = 5;
  static final StoreOption MEMORY =
      new StoreOption(Kind.MEMORY, "", SqliteStore.Durability.FULL, DEFAULT_SCHEMA, null, DEFAULT_CONNECTIONS);
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,47}");
  private static final String POSTGRES_URL = "jdbc:postgresql:";

  enum Kind {
    MEMORY,
    SQLITE,
    POSTGRES
  }

  private final Kind kind;
  private final String location;
  private final SqliteStore.Durability durability;
  private final String schema;
  private final @Nullable String password;
  private final int maxConnections;

  private StoreOption(
      Kind kind,
      String location,
      SqliteStore.Durability durability,
      String schema,
      @Nullable String password,
      int maxConnections) {
    this.kind = kind;
    this.location = location;
    this.durability = durability;
    this.schema = schema;
    this.password = password;
    this.maxConnections = maxConnections;
  }

  /** The default: SQLite in {@code queues4j.db} of the working directory, FULL durability. */
  static StoreOption defaults() {
    return parse("sqlite:" + DEFAULT_SQLITE_FILE);
  }

  /**
   * Parses the setting. A SQLite path is made absolute against the working directory (it is not
   * created here); a PostgreSQL URL is checked for its form, and must not hold a password.
   *
   * @throws IllegalArgumentException if it is none of the three forms, the path is empty or a
   *     directory, or the URL holds a password
   */
  static StoreOption parse(String text) {
    requireNonNull(text, "text");
    String value = text.trim();
    if (value.equals("memory")) {
      return MEMORY;
    }
    if (value.startsWith("sqlite:")) {
      return sqlite(value.substring("sqlite:".length()).trim());
    }
    if (value.startsWith("postgres:" + POSTGRES_URL)) {
      return postgres(value.substring("postgres:".length()));
    }
    throw new IllegalArgumentException(
        "store must be memory, sqlite:<path> or postgres:<jdbc-url> (postgres:jdbc:postgresql://...)"
            + " but was '" + SettingsReader.truncate(redact(value)) + "'");
  }

  private static StoreOption sqlite(String file) {
    if (file.isEmpty()) {
      throw new IllegalArgumentException("store sqlite: needs the database file's path, e.g. sqlite:"
          + DEFAULT_SQLITE_FILE + " but was 'sqlite:'");
    }
    Path path;
    try {
      path = Path.of(file).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("store sqlite:<path> needs a valid path but was 'sqlite:"
          + SettingsReader.truncate(file) + "' (" + e.getReason() + ")", e);
    }
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException("store sqlite:<path> must name a file, but " + path
          + " is a directory (try sqlite:" + path.resolve(DEFAULT_SQLITE_FILE) + ")");
    }
    return new StoreOption(Kind.SQLITE, path.toString(), SqliteStore.Durability.FULL, DEFAULT_SCHEMA, null,
        DEFAULT_CONNECTIONS);
  }

  private static StoreOption postgres(String url) {
    String rest = url.substring(POSTGRES_URL.length());
    if (rest.isEmpty() || rest.startsWith("?")) {
      throw new IllegalArgumentException("store postgres:<jdbc-url> needs a database, e.g."
          + " postgres:jdbc:postgresql://db:5432/queues?user=q, but was 'postgres:" + SettingsReader.truncate(url) + "'");
    }
    if (!redact(url).equals(url)) {
      throw new IllegalArgumentException("store postgres:<jdbc-url> must not hold a password, which would show"
          + " in the process list or the file: set " + Setting.POSTGRES_PASSWORD.env + " instead (the URL was"
          + " 'postgres:" + SettingsReader.truncate(redact(url)) + "')");
    }
    return new StoreOption(Kind.POSTGRES, url, SqliteStore.Durability.FULL, DEFAULT_SCHEMA, null, DEFAULT_CONNECTIONS);
  }

  /** Hides a password in a JDBC URL ({@code password=...}, {@code user:password@}). */
  static String redact(String value) {
    return value
        .replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
  }

  /**
   * Parses a SQLite durability, {@code FULL} or {@code NORMAL} in any case.
   *
   * @throws IllegalArgumentException for any other value
   */
  static SqliteStore.Durability durability(String text) {
    String value = text.trim();
    for (SqliteStore.Durability d : SqliteStore.Durability.values()) {
      if (d.name().equalsIgnoreCase(value)) {
        return d;
      }
    }
    throw new IllegalArgumentException("must be FULL or NORMAL but was '" + SettingsReader.truncate(value) + "'");
  }

  /**
   * Checks a PostgreSQL schema name as the store does.
   *
   * @throws IllegalArgumentException if it is not 1 to 48 lowercase letters, digits and {@code _}
   */
  static String schema(String text) {
    String value = text.trim();
    if (!SCHEMA.matcher(value).matches()) {
      throw new IllegalArgumentException("must be 1 to 48 lowercase letters, digits and _, not starting with a"
          + " digit, but was '" + SettingsReader.truncate(value) + "'");
    }
    return value;
  }

  /** This SQLite store with another durability. */
  StoreOption withDurability(SqliteStore.Durability d) {
    requireState(Kind.SQLITE);
    return new StoreOption(kind, location, requireNonNull(d, "d"), schema, password, maxConnections);
  }

  /** This PostgreSQL store with other settings; {@code password} null for none. */
  StoreOption withPostgres(String schema, @Nullable String password, int maxConnections) {
    requireState(Kind.POSTGRES);
    return new StoreOption(kind, location, durability, requireNonNull(schema, "schema"), password, maxConnections);
  }

  private void requireState(Kind expected) {
    if (kind != expected) {
      throw new IllegalStateException("store " + this + " is not " + expected);
    }
  }

  /** An opened store and what must be closed after it (the PostgreSQL pool). */
  record Opened(@Nullable MessageStore store, @Nullable AutoCloseable after) implements AutoCloseable {
    /** Gives the engine this store; the in-memory store is the engine's own default. */
    void configure(QueueEngine.Builder engine) {
      MessageStore s = store;
      if (s != null) {
        engine.store(s);
      }
    }

    /** Closes the store (if no engine took it over) and the pool. */
    void close(boolean store) {
      MessageStore s = this.store;
      try {
        if (store && s != null) {
          s.close();
        }
      } finally {
        AutoCloseable a = after;
        if (a != null) {
          try {
            a.close();
          } catch (Exception e) {
            QueueServer.logger.warn("Closing {} failed: {}", a, e.toString());
          }
        }
      }
    }

    @Override
    public void close() {
      close(true);
    }
  }

  /**
   * Opens the store: for SQLite, creates the file's directories and opens (or creates) the
   * database; for PostgreSQL, starts a HikariCP pool of {@code maxConnections} connections and
   * opens the store (creating or migrating its schema).
   *
   * @throws io.queues4j.spi.StoreException if the database cannot be opened (the SQLite file is
   *     locked by another process, damaged, or not writable; PostgreSQL cannot be reached)
   * @throws IllegalStateException if a directory cannot be created, or the PostgreSQL pool cannot
   *     connect
   */
  Opened open() {
    return switch (kind) {
      case MEMORY -> new Opened(null, null);
      case SQLITE -> {
        Path file = Path.of(location);
        Path parent = file.getParent();
        try {
          if (parent != null) {
            Files.createDirectories(parent);
          }
        } catch (IOException e) {
          throw new IllegalStateException("cannot create the directory " + parent + " of the SQLite store: " + e, e);
        }
        yield new Opened(SqliteStore.builder(file).durability(durability).open(), null);
      }
      case POSTGRES -> {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(location);
        if (password != null) {
          config.setPassword(password);
        }
        config.setPoolName("queues4j-postgres-pool");
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        HikariDataSource pool;
        try {
          pool = new HikariDataSource(config);
        } catch (RuntimeException e) { // HikariCP's PoolInitializationException: unreachable, refused
          throw new IllegalStateException("store " + this + " cannot connect: " + e.getMessage(), e);
        }
        try {
          yield new Opened(PostgresStore.builder(pool).schema(schema).maxConnections(maxConnections).build(), pool);
        } catch (RuntimeException e) {
          pool.close();
          throw e;
        }
      }
    };
  }

  /** Whether messages outlive the process. */
  boolean durable() {
    return kind != Kind.MEMORY;
  }

  Kind kind() {
    return kind;
  }

  /** The SQLite file (absolute) or the JDBC URL; empty for memory. */
  String location() {
    return location;
  }

  SqliteStore.Durability durability() {
    return durability;
  }

  String schema() {
    return schema;
  }

  int maxConnections() {
    return maxConnections;
  }

  boolean hasPassword() {
    return password != null;
  }

  /** What the banner says about the store: where messages go and how they are kept. */
  String describe() {
    return switch (kind) {
      case MEMORY -> "memory (not durable: messages left at exit are lost)";
      case SQLITE -> this + " (durable, " + durability + " durability; one process at a time, lock file "
          + location + ".lock)";
      case POSTGRES -> this + " (durable, schema " + schema + ", pool of " + maxConnections + " connections"
          + (password == null ? "" : ", password from " + Setting.POSTGRES_PASSWORD.env)
          + "; shared by every server on the schema)";
    };
  }

  /** The setting with its location, passwords hidden. */
  @Override
  public String toString() {
    return kind == Kind.MEMORY ? "memory" : kind.name().toLowerCase(Locale.ROOT) + ":" + redact(location);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof StoreOption s && kind == s.kind && location.equals(s.location)
        && durability == s.durability && schema.equals(s.schema) && java.util.Objects.equals(password, s.password)
        && maxConnections == s.maxConnections;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, location, durability, schema, maxConnections);
  }
}
