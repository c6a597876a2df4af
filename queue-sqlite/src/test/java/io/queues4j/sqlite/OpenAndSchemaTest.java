package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.QueueContentType;
import io.queues4j.spi.Claim;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.StoredMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sqlite.JDBC;

/** Opening: exclusivity, schema versions, foreign files, and what the store says about itself. */
class OpenAndSchemaTest {

  private static Connection raw(Path file) throws SQLException {
    return JDBC.createConnection(JDBC.PREFIX + file, new Properties());
  }

  @Test
  void aSecondStoreInTheSameProcessIsRefusedNamingTheHolder() throws Exception {
    Path file = TempDatabases.fresh("locked");
    try (SqliteStore first = SqliteStore.open(file)) {
      assertThatThrownBy(() -> SqliteStore.open(file))
          .isInstanceOfSatisfying(SqliteStoreException.class,
              e -> assertThat(e.reason()).isEqualTo(SqliteStoreException.Reason.LOCKED))
          .hasMessageContaining(file.toString())
          .hasMessageContaining("pid " + ProcessHandle.current().pid())
          .hasMessageContaining(".lock");
      assertThat(first.queue("jobs").metrics().backlogCount()).isZero(); // the first is intact
      // the refused attempt must not have released the first store's lock for other processes
      assertThat(probe(file)).startsWith("LOCKED").contains("pid " + ProcessHandle.current().pid());
    }
    SqliteStore.open(file).close(); // released on close
    assertThat(probe(file)).isEqualTo("OPENED");
  }

  /** Opens the store in another process; returns what it printed: OPENED or LOCKED and why. */
  private static String probe(Path file) throws Exception {
    Process probe = new ProcessBuilder(javaCommand(LockProbe.class, file))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static List<String> javaCommand(Class<?> main, Path file) {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-Dorg.slf4j.simpleLogger.logFile=System.err",
        "-cp", System.getProperty("java.class.path"), main.getName(), file.toString());
  }

  /** A process that tries to open a store once and says how it went. */
  public static final class LockProbe {
    private LockProbe() {}

    /**
     * Tries.
     *
     * @param args the database file
     */
    public static void main(String[] args) {
      try {
        SqliteStore.open(Path.of(args[0])).close();
        System.out.println("OPENED");
      } catch (SqliteStoreException e) {
        System.out.println(e.reason() + " " + e.getMessage());
      }
    }
  }

  @Test
  void aStoreInAnotherProcessIsNamedWithItsPid() throws Exception {
    Path file = TempDatabases.fresh("locked-elsewhere");
    Process holder = new ProcessBuilder(javaCommand(LockHolder.class, file))
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("HOLDING")) {
        // the holder's log lines
      }
      assertThat(line).as("the holder opened the store").isEqualTo("HOLDING");
      assertThatThrownBy(() -> SqliteStore.open(file))
          .isInstanceOfSatisfying(SqliteStoreException.class,
              e -> assertThat(e.reason()).isEqualTo(SqliteStoreException.Reason.LOCKED))
          .hasMessageContaining("pid " + holder.pid());
    } finally {
      holder.destroyForcibly();
      holder.waitFor(30, TimeUnit.SECONDS);
    }
    SqliteStore.open(file).close(); // the OS released the dead holder's lock
  }

  /** A process that holds a store open until killed. */
  public static final class LockHolder {
    private LockHolder() {}

    /**
     * Opens the store and waits.
     *
     * @param args the database file
     * @throws InterruptedException never: killed instead
     */
    public static void main(String[] args) throws InterruptedException {
      SqliteStore store = SqliteStore.open(Path.of(args[0]));
      System.out.println("HOLDING");
      System.out.flush();
      Thread.currentThread().join();
      store.close();
    }
  }

  @Test
  void aDatabaseOfANewerVersionIsRefusedNamingBothVersions() throws SQLException {
    Path file = TempDatabases.fresh("newer");
    SqliteStore.open(file).close();
    try (Connection c = raw(file); Statement s = c.createStatement()) {
      s.execute("UPDATE schema_version SET version = 99");
    }
    assertThatThrownBy(() -> SqliteStore.open(file))
        .isInstanceOfSatisfying(SqliteStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(SqliteStoreException.Reason.NEWER_SCHEMA))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("schema version " + Schema.VERSION);
  }

  @Test
  void anotherApplicationsDatabaseIsLeftAlone() throws SQLException {
    Path file = TempDatabases.fresh("foreign");
    try (Connection c = raw(file); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    }
    assertThatThrownBy(() -> SqliteStore.open(file))
        .isInstanceOfSatisfying(SqliteStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(SqliteStoreException.Reason.FOREIGN_DATABASE))
        .hasMessageContaining(file.toString());
    try (Connection c = raw(file); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_schema")) {
      rs.next();
      assertThat(rs.getInt(1)).as("nothing created in it").isEqualTo(1);
    }
  }

  @Test
  void anEmptySqliteFileIsMigratedToTheCurrentVersion() throws SQLException {
    Path file = TempDatabases.fresh("empty");
    try (Connection c = raw(file); Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 0"); // creates the file, no tables
    }
    SqliteStore.open(file).close();
    try (Connection c = raw(file); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(Schema.VERSION);
    }
  }

  @Test
  void aVersion1DatabaseIsMigratedKeepingItsMessagesAndGainsFifoQueues() throws SQLException {
    Path file = TempDatabases.fresh("v1");
    try (Connection c = raw(file); Statement s = c.createStatement()) {
      Schema.migrate(c, file, 1); // what a store of schema version 1 created, and wrote:
      s.execute("INSERT INTO queues (id, name, count, bytes, held) VALUES (1, 'jobs', 2, 2, 0)");
      s.execute("INSERT INTO messages (key, queue, id_high, id_low, timestamp, body,"
          + " content_type, visible_at, attempts, state, lease) VALUES"
          + " (41, 1, 7, 1, 1000, x'61', 1, 1000, 0, 0, 0),"
          + " (42, 1, 7, 2, 1000, x'62', 1, 1000, 1, 1, 99)"); // b was in flight
    }
    try (SqliteStore store = SqliteStore.open(file)) {
      QueueStore jobs = store.queue("jobs");
      assertThat(jobs.metrics().backlogCount()).isEqualTo(2);
      List<Claim> claims = jobs.claim(10, 2000, 3000).toCompletableFuture().join().claims();
      assertThat(claims).extracting(cl -> new String(cl.message().body(), StandardCharsets.UTF_8))
          .containsExactly("a", "b");
      assertThat(claims.get(1).message().attempts()).as("recovered, attempts kept").isEqualTo(2);
      QueueStore fifo = store.queue("jobs.fifo");
      assertThat(fifo.supportsFifo()).isTrue();
      fifo.addDeduplicated(List.of(StoredMessage.of(7, 3, 2000, new byte[] {'c'},
          QueueContentType.TEXT, 2000, 0, "g", "k")), 2000, 60_000).toCompletableFuture().join();
      Claim c = fifo.claimGroup(10, 2000, 3000).toCompletableFuture().join().claims().get(0);
      assertThat(c.message().groupId()).isEqualTo("g");
      assertThat(c.key()).as("keys go on increasing").isGreaterThan(42);
    }
    try (Connection c = raw(file); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(Schema.VERSION).isEqualTo(4);
    }
  }

  @Test
  void aVersion3DatabaseIsMigratedIntoPacketsRecoveringItsClaims() throws SQLException {
    Path file = TempDatabases.fresh("v3");
    try (Connection c = raw(file); Statement s = c.createStatement()) {
      Schema.migrate(c, file, 3); // what a store of schema version 3 created, and wrote:
      s.execute("INSERT INTO queues (id, name, count, bytes, held) VALUES (1, 'jobs', 4, 4, 1),"
          + " (2, 'jobs.fifo', 1, 1, 0)");
      s.execute("INSERT INTO messages (key, queue, id_high, id_low, timestamp, body,"
          + " content_type, visible_at, attempts, state, lease, grp, dedupe) VALUES"
          + " (41, 1, 7, 1, 1000, x'61', 1, 1000, 0, 0, 0, NULL, NULL),"
          + " (42, 1, 7, 2, 1000, x'62', 1, 1000, 1, 0, 0, NULL, NULL)," // in flight, below
          + " (43, 1, 7, 3, 1100, x'63', 1, 5000, 0, 0, 0, NULL, NULL)," // delayed
          + " (44, 1, 7, 4, 900, x'64', 1, 900, 0, 2, 0, NULL, NULL)," // a held dead letter
          + " (45, 2, 7, 5, 1000, x'65', 1, 1000, 0, 0, 0, 'g', 'k')"); // a FIFO message
      s.execute("INSERT INTO fifo_heads (queue, grp, visible_at, key) VALUES (2, 'g', 1000, 45)");
      s.execute("INSERT INTO claims (lease, queue, keys) VALUES (9, 1, x'000000000000002a')");
    }
    try (SqliteStore store = SqliteStore.open(file)) {
      QueueStore jobs = store.queue("jobs");
      assertThat(jobs.metrics().backlogCount()).isEqualTo(4);
      assertThat(jobs.metrics().oldestMessageTimestamp()).isEqualTo(900);
      List<Claim> claims = jobs.claim(10, 2000, 3000).toCompletableFuture().join().claims();
      assertThat(claims).extracting(cl -> new String(cl.message().body(), StandardCharsets.UTF_8))
          .containsExactly("a", "b");
      assertThat(claims).extracting(cl -> cl.message().attempts())
          .as("b was in flight: recovered, one more").containsExactly(1, 3);
      assertThat(jobs.held(false).toCompletableFuture().join())
          .extracting(m -> new String(m.body(), StandardCharsets.UTF_8)).containsExactly("d");
      assertThat(jobs.claim(10, 5000, 6000).toCompletableFuture().join().claims())
          .extracting(cl -> new String(cl.message().body(), StandardCharsets.UTF_8))
          .containsExactly("c");
      QueueStore fifo = store.queue("jobs.fifo");
      assertThat(fifo.claimGroup(10, 2000, 3000).toCompletableFuture().join().claims())
          .extracting(cl -> cl.message().groupId()).containsExactly("g");
    }
    try (Connection c = raw(file); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM packets),"
            + " (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM claims)")) {
      rs.next();
      assertThat(List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
          .as("packets (a and b in one), rows (held, FIFO), claim records")
          .containsExactly(2, 2, 2);
    }
  }

  @Test
  void aMissingDirectoryIsNamed() {
    Path file = TempDatabases.fresh("missing").resolveSibling("no-such-dir").resolve("q.db");
    assertThatThrownBy(() -> SqliteStore.open(file))
        .isInstanceOf(SqliteStoreException.class)
        .hasMessageContaining("no-such-dir");
  }

  @Test
  void aClosedStoreRefusesOperations() {
    Path file = TempDatabases.fresh("closed");
    SqliteStore store = SqliteStore.open(file);
    QueueStore jobs = store.queue("jobs");
    store.close();
    store.close(); // idempotent
    assertThatThrownBy(() -> jobs.add(List.of(message())).toCompletableFuture().join())
        .hasCauseInstanceOf(SqliteStoreException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> store.queue("other"))
        .isInstanceOfSatisfying(SqliteStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(SqliteStoreException.Reason.CLOSED));
  }

  @Test
  void describesItself() {
    Path file = TempDatabases.fresh("describe");
    try (SqliteStore store = SqliteStore.builder(file)
        .durability(SqliteStore.Durability.NORMAL).open()) {
      assertThat(store.toString()).contains(file.toString());
      assertThat(store.heapResident()).isFalse();
      assertThat(store.durable()).isTrue();
      assertThat(store.file()).isEqualTo(file);
      assertThat(store.durability()).isEqualTo(SqliteStore.Durability.NORMAL);
    }
    assertThatThrownBy(() -> SqliteStore.builder(file).maxDatabaseSize(1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65536").hasMessageContaining("1000");
  }

  @Test
  void everyHotQueryUsesAnIndex() throws SQLException {
    Path file = TempDatabases.fresh("plans");
    SqliteStore.open(file).close();
    List<String> queries = List.of(
        // standard queues' packets: claim past the cursor, settle, recovery, expiry, purge
        "SELECT key FROM packets WHERE queue = 1 AND (visible_at, key) > (3, 4)"
            + " AND visible_at <= 5 ORDER BY visible_at, key",
        "SELECT visible_at FROM packets WHERE queue = 1"
            + " AND (visible_at, key) > (3, 4) ORDER BY visible_at, key LIMIT 1",
        "UPDATE packets SET settled_low = 1, settled_high = 0, timestamp = 3 WHERE key = 5",
        "DELETE FROM packets WHERE key = 5",
        "SELECT messages FROM packets WHERE key = 5",
        "DELETE FROM claims WHERE lease = 7",
        "SELECT MIN(timestamp) FROM packets WHERE queue = 1",
        "SELECT key FROM packets WHERE queue = 1 AND timestamp < 5"
            + " AND (visible_at, key) >= (3, 4) ORDER BY timestamp, key",
        "DELETE FROM packets WHERE queue = 1 AND (visible_at, key) > (3, 4)",
        // held dead letters (and FIFO queues' messages): expiry, purge, release
        "SELECT MIN(timestamp) FROM messages WHERE queue = 1",
        "SELECT key FROM messages WHERE queue = 1 AND state = 2 ORDER BY key LIMIT 3",
        "SELECT key FROM messages WHERE queue = 1 AND timestamp < 5 AND state <> 1"
            + " ORDER BY timestamp, key LIMIT 10",
        "DELETE FROM messages WHERE queue = 1 AND state <> 1",
        "UPDATE messages SET state = 0, lease = 0 WHERE queue = 1 AND state = 1",
        // FIFO queues: claimGroup, a group's refresh, deduplication and its sweep, recovery
        "SELECT grp, visible_at FROM fifo_heads WHERE queue = 1 ORDER BY visible_at, key LIMIT 1",
        "SELECT key FROM messages WHERE queue = 1 AND grp = 'a' AND state = 0 ORDER BY key"
            + " LIMIT 10",
        "SELECT 1 FROM messages WHERE queue = 1 AND grp = 'a' AND state = 1 LIMIT 1",
        "UPDATE messages SET state = 1, attempts = attempts + 1, lease = 1 WHERE key = 5",
        "DELETE FROM fifo_heads WHERE queue = 1 AND grp = 'a'",
        "DELETE FROM fifo_heads WHERE queue = 1",
        "SELECT original FROM dedup WHERE queue = 1 AND grp = 'a' AND dkey = 'k'"
            + " AND expires > 5",
        "DELETE FROM dedup WHERE (queue, grp, dkey) IN (SELECT queue, grp, dkey FROM dedup"
            + " WHERE queue = 1 AND expires <= 5 LIMIT 10)",
        "SELECT DISTINCT grp FROM messages WHERE queue = 1 AND state = 1 AND grp IS NOT NULL");
    try (Connection c = raw(file); Statement s = c.createStatement()) {
      for (String query : queries) {
        List<String> plan = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + query)) {
          while (rs.next()) {
            plan.add(rs.getString(4));
          }
        }
        assertThat(plan).as("plan of %s", query)
            .anyMatch(step -> step.matches("SEARCH (messages|packets|fifo_heads|dedup|claims) USING .*"))
            .noneMatch(step -> step.startsWith("SCAN")) // no full scan of a table or an index
            .noneMatch(step -> step.contains("TEMP B-TREE")); // no sort
      }
    }
  }

  private static StoredMessage message() {
    return StoredMessage.of(1, 2, 3, new byte[] {'x'}, QueueContentType.TEXT, 3, 0);
  }
}
