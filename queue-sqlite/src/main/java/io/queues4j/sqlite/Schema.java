package io.queues4j.sqlite;

import io.queues4j.spi.StoredMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The database's tables, and their forward migrations. {@code schema_version} holds one row, the
 * version; version {@code n} is reached by running {@code MIGRATIONS.get(0 .. n-1)} in order, each
 * in the same transaction as the version's update, so a database is always at a whole version.
 *
 * <p>Tables:
 *
 * <ul>
 *   <li>{@code queues}: one row per queue, with its exact counters (count, bytes, held), updated in
 *       every transaction that changes them, so that opening a large backlog reads no message.
 *   <li>{@code messages}: one row per message (since version 4, only FIFO queues' messages and
 *       held dead letters; a standard queue's waiting messages are in {@code packets}). {@code
 *       key} is the rowid: the store's identity of a message and its place in line among messages
 *       visible at the same time (a retried or released message gets a new key, behind those
 *       already waiting). {@code state}: 0 waiting, 1 claimed, 2 held. {@code content_type}: 0
 *       json, 1 text, 2 bytes, 3 v8. Times are epoch milliseconds.
 *   <li>{@code meta}: {@code generation}, raised at every open, so that a claim's lease never
 *       repeats one from before a restart; {@code next_key} (version 2), above every key ever
 *       handed out, so that keys keep increasing across restarts (a FIFO queue shows them as
 *       sequence numbers).
 *   <li>Version 2, FIFO queues (names ending in {@code .fifo}): {@code messages.grp} and {@code
 *       messages.dedupe}, a FIFO message's group and deduplication key (NULL on standard queues);
 *       {@code fifo_heads}, one row per group that may be claimed (nothing of it claimed, some of
 *       it waiting) with its first waiting message's key and visibility; {@code dedup}, one row
 *       per (queue, group, deduplication key) with the original's id, when it was added and when
 *       the record expires, kept after the message is gone.
 *   <li>Version 3, {@code claims}: one row per claim of a standard queue, its keys as 8-byte
 *       big-endian integers, deleted with the claim's last settlement. A standard queue's claim
 *       writes nothing to its messages and keeps them in flight in memory ({@link InFlight}); at
 *       open, the listed messages still there count one attempt more. FIFO queues still mark
 *       claimed rows with {@code state} 1 and their lease.
 *   <li>Version 4, {@code packets}: a standard queue's waiting and claimed messages, one row per
 *       {@link Packet} of up to 128 messages that became waiting together with the same
 *       visibility; {@code key} is its place in line as a message's key was, {@code messages}
 *       the encoded messages, {@code settled_low} and {@code settled_high} the bits of those
 *       settled, {@code timestamp} the oldest send time of the others. A claim record lists
 *       claim keys ({@code key << 7 | index}). The migration packs the waiting rows of each
 *       standard queue.
 * </ul>
 *
 * <p>Indexes: {@code messages_claim (queue, state, visible_at, key)} finds the next ready messages,
 * the next visible time and, at open, the claimed ones; {@code messages_sent (queue, timestamp)}
 * the oldest message and the expired ones; {@code messages_held (queue, key) WHERE state = 2} the
 * held dead letters in arrival order; {@code packets_claim (queue, visible_at, key)} and {@code
 * packets_sent (queue, timestamp)} the same for packets; {@code messages_group (queue, grp,
 * state, key) WHERE grp IS NOT NULL} a FIFO group's messages in send order; {@code
 * fifo_heads_ready (queue, visible_at, key)} the claimable group whose first message became
 * visible first; {@code dedup_expiry (queue, expires)} the deduplication records past their
 * window. Each is O(log n) per lookup.
 */
final class Schema {
  /** The version this code writes. */
  static final int VERSION = 4;

  static final int WAITING = 0;
  static final int CLAIMED = 1;
  static final int HELD = 2;

  /** {@code MIGRATIONS.get(i)} takes a database from version {@code i} to {@code i + 1}. */
  private static final List<List<String>> MIGRATIONS = List.of(List.of(
      "CREATE TABLE queues (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
          + " count INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,"
          + " held INTEGER NOT NULL DEFAULT 0)",
      "CREATE TABLE messages (key INTEGER PRIMARY KEY, queue INTEGER NOT NULL,"
          + " id_high INTEGER NOT NULL, id_low INTEGER NOT NULL, timestamp INTEGER NOT NULL,"
          + " body BLOB NOT NULL, content_type INTEGER NOT NULL, visible_at INTEGER NOT NULL,"
          + " attempts INTEGER NOT NULL, state INTEGER NOT NULL, lease INTEGER NOT NULL)",
      "CREATE INDEX messages_claim ON messages (queue, state, visible_at, key)",
      "CREATE INDEX messages_sent ON messages (queue, timestamp)",
      "CREATE INDEX messages_held ON messages (queue, key) WHERE state = 2",
      "CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
      "INSERT INTO meta (name, value) VALUES ('generation', 0)"),
      List.of(
      "ALTER TABLE messages ADD COLUMN grp TEXT",
      "ALTER TABLE messages ADD COLUMN dedupe TEXT",
      "CREATE INDEX messages_group ON messages (queue, grp, state, key) WHERE grp IS NOT NULL",
      "CREATE TABLE fifo_heads (queue INTEGER NOT NULL, grp TEXT NOT NULL,"
          + " visible_at INTEGER NOT NULL, key INTEGER NOT NULL, PRIMARY KEY (queue, grp))"
          + " WITHOUT ROWID",
      "CREATE INDEX fifo_heads_ready ON fifo_heads (queue, visible_at, key)",
      "CREATE TABLE dedup (queue INTEGER NOT NULL, grp TEXT NOT NULL, dkey TEXT NOT NULL,"
          + " original TEXT NOT NULL, added INTEGER NOT NULL, expires INTEGER NOT NULL,"
          + " PRIMARY KEY (queue, grp, dkey)) WITHOUT ROWID",
      "CREATE INDEX dedup_expiry ON dedup (queue, expires)",
      "INSERT INTO meta (name, value)"
          + " SELECT 'next_key', COALESCE(MAX(key), 0) + 1 FROM messages"),
      List.of(
      "CREATE TABLE claims (lease INTEGER PRIMARY KEY, queue INTEGER NOT NULL,"
          + " keys BLOB NOT NULL)"),
      List.of(
      "CREATE TABLE packets (key INTEGER PRIMARY KEY, queue INTEGER NOT NULL,"
          + " visible_at INTEGER NOT NULL, timestamp INTEGER NOT NULL,"
          + " settled_low INTEGER NOT NULL, settled_high INTEGER NOT NULL,"
          + " messages BLOB NOT NULL)",
      "CREATE INDEX packets_claim ON packets (queue, visible_at, key)",
      "CREATE INDEX packets_sent ON packets (queue, timestamp)"));

  private Schema() {}

  /**
   * Brings the database to {@link #VERSION}, inside the caller's transaction.
   *
   * @throws SqliteStoreException {@code NEWER_SCHEMA} or {@code FOREIGN_DATABASE}
   */
  static void migrate(Connection connection, Path file) throws SQLException {
    migrate(connection, file, VERSION);
  }

  /** Brings the database to {@code target} (for tests: a database of an older version). */
  static void migrate(Connection connection, Path file, int target) throws SQLException {
    int version = version(connection, file);
    if (version > VERSION) {
      throw new SqliteStoreException(SqliteStoreException.Reason.NEWER_SCHEMA, file,
          "SQLite store " + file + " has schema version " + version
              + ", written by a newer queues4j; this version reads schema version " + VERSION
              + " and older. Open it with a queues4j at least as new as the one that wrote it.",
          null);
    }
    try (Statement statement = connection.createStatement()) {
      if (version < 0) {
        version = 0;
        statement.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
        statement.execute("INSERT INTO schema_version (version) VALUES (0)");
      }
      for (int v = version; v < target; v++) {
        for (String sql : MIGRATIONS.get(v)) {
          statement.execute(sql);
        }
        if (v + 1 == 4) {
          packRows(connection);
        }
        statement.execute("UPDATE schema_version SET version = " + (v + 1));
      }
    }
  }

  /**
   * To version 4: a standard queue's waiting (or, before version 3, claimed) rows become packets,
   * one per run of rows of the same queue and visibility, in key order, each packet keyed by its
   * first row's key. First the claims of version 3 are recovered as that version did: a listed
   * key still waiting counts one attempt more.
   */
  private static void packRows(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        PreparedStatement count = connection.prepareStatement(
            "UPDATE messages SET attempts = attempts + 1 WHERE key = ? AND state = 0")) {
      try (ResultSet rs = statement.executeQuery("SELECT keys FROM claims")) {
        while (rs.next()) {
          for (long key : PacketTable.claimKeys(rs.getBytes(1))) {
            count.setLong(1, key);
            count.addBatch();
          }
        }
      }
      count.executeBatch();
      statement.execute("DELETE FROM claims");
    }
    String standard = " FROM messages WHERE state IN (0, 1)"
        + " AND queue IN (SELECT id FROM queues WHERE name NOT LIKE '%.fifo')";
    try (Statement statement = connection.createStatement();
        PacketTable packets = new PacketTable(connection)) {
      List<StoredMessage> run = new ArrayList<>(Packet.MAX);
      long[] first = {0, 0, 0}; // key, queue, visible_at of the run
      try (ResultSet rs = statement.executeQuery("SELECT key, queue, visible_at, id_high, id_low,"
          + " timestamp, body, content_type, attempts" + standard
          + " ORDER BY queue, visible_at, key")) {
        while (rs.next()) {
          long queue = rs.getLong(2);
          long visibleAt = rs.getLong(3);
          if (!run.isEmpty() && (run.size() == Packet.MAX || queue != first[1]
              || visibleAt != first[2])) {
            insertPacket(packets, first, run);
          }
          if (run.isEmpty()) {
            first[0] = rs.getLong(1);
            first[1] = queue;
            first[2] = visibleAt;
          }
          run.add(StoredMessage.of(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getBytes(7),
              MessageTable.contentType(rs.getInt(8)), visibleAt, rs.getInt(9)));
        }
      }
      if (!run.isEmpty()) {
        insertPacket(packets, first, run);
      }
      statement.execute("DELETE" + standard);
    }
  }

  private static void insertPacket(PacketTable packets, long[] first, List<StoredMessage> run)
      throws SQLException {
    packets.addInsert(first[0], first[1], first[2], run, 0, run.size());
    packets.flushInserts(); // one at a time: a large backlog is never held in one batch
    run.clear();
  }

  /** Returns the database's version: -1 for an empty database. */
  private static int version(Connection connection, Path file) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      boolean versioned = false;
      int tables = 0;
      try (ResultSet rs = statement.executeQuery(
          "SELECT name FROM sqlite_schema WHERE type = 'table'")) {
        while (rs.next()) {
          tables++;
          versioned |= rs.getString(1).equals("schema_version");
        }
      }
      if (!versioned) {
        if (tables > 0) {
          throw new SqliteStoreException(SqliteStoreException.Reason.FOREIGN_DATABASE, file,
              "SQLite store " + file + " is a SQLite database with " + tables
                  + " tables but no schema_version table: not a queues4j store; refusing to"
                  + " change it", null);
        }
        return -1;
      }
      try (ResultSet rs = statement.executeQuery("SELECT version FROM schema_version")) {
        if (!rs.next()) {
          throw new SqliteStoreException(SqliteStoreException.Reason.CORRUPT, file,
              "SQLite store " + file + ": its schema_version table is empty", null);
        }
        return rs.getInt(1);
      }
    }
  }
}
