package io.queues4j.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned SQL scripts in {@code io/queues4j/postgres/migration/} (named as Flyway names
 * them, {@code V<n>__<description>.sql}) and how the store applies them: in one transaction,
 * under a transaction-level advisory lock (engines starting together apply them once), each with
 * {@code search_path} set to the schema, recording the versions in the schema's {@code
 * schema_version} table.
 */
final class Migrations {
  private static final Logger logger = LoggerFactory.getLogger(Migrations.class);

  /** The scripts, oldest first; version n is element n - 1. */
  static final List<String> SCRIPTS = List.of("V1__queues4j.sql", "V2__fifo.sql");

  /** Where the scripts are, relative to the class path root. */
  static final String LOCATION = "io/queues4j/postgres/migration/";

  private Migrations() {}

  /** Creates the schema if needed and applies the scripts it lacks. */
  static void apply(Connection c, String schema) throws SQLException {
    String s = '"' + schema + '"';
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_advisory_xact_lock(" + ("queues4j.migrate." + schema).hashCode()
          + ")");
      st.execute("CREATE SCHEMA IF NOT EXISTS " + s);
      st.execute("CREATE TABLE IF NOT EXISTS " + s + ".schema_version (version integer PRIMARY KEY,"
          + " script text NOT NULL, installed_at timestamptz NOT NULL DEFAULT now())");
      int current;
      try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM " + s
          + ".schema_version")) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > SCRIPTS.size()) {
        throw new SQLException("schema '" + schema + "' is at version " + current
            + ", newer than this queues4j (version " + SCRIPTS.size() + ")");
      }
      for (int v = current + 1; v <= SCRIPTS.size(); v++) {
        String script = SCRIPTS.get(v - 1);
        st.execute("SET LOCAL search_path TO " + s);
        st.execute(read(script));
        try (PreparedStatement record = c.prepareStatement(
            "INSERT INTO " + s + ".schema_version (version, script) VALUES (?, ?)")) {
          record.setInt(1, v);
          record.setString(2, script);
          record.executeUpdate();
        }
        logger.info("Applied {}{} to schema '{}'", LOCATION, script, schema);
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** Checks that the schema has the store's tables (migrations applied by someone else). */
  static void verify(Connection c, String schema) throws SQLException {
    String s = '"' + schema + '"';
    try (Statement st = c.createStatement()) {
      for (String table : List.of("queues", "messages", "queue_stats", "fifo_groups",
          "fifo_dedup")) {
        st.executeQuery("SELECT * FROM " + s + "." + table + " LIMIT 0").close();
      }
    } catch (SQLException e) {
      throw new SQLException("schema '" + schema + "' lacks the queues4j tables (" + e.getMessage()
          + "); apply the scripts in classpath:" + LOCATION + " (" + SCRIPTS
          + ") or let the store migrate", e.getSQLState(), e);
    }
  }

  private static String read(String script) {
    String path = LOCATION + script;
    try (InputStream in = Migrations.class.getResourceAsStream("migration/" + script)) {
      if (in == null) {
        throw new IllegalStateException("missing " + path + " in the queue-postgres jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
