package io.queues4j.sqlite;

import io.queues4j.QueueContentType;
import io.queues4j.spi.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of the store, one prepared statement per statement, reused for the connection's life.
 * Used by one thread at a time (the writer), inside a transaction that the caller opened. Rows
 * that many operations touch at once go through {@link PreparedStatement#executeBatch()}, which
 * the SQLite driver runs in one native call.
 */
final class MessageTable implements AutoCloseable {
  /** The columns {@link #rows} reads, in its order. */
  static final String COLUMNS = "key, id_high, id_low, timestamp, body, content_type,"
      + " visible_at, attempts, state, grp, dedupe";

  private final PreparedStatement insert;
  private final PreparedStatement deleteClaimed;
  private final PreparedStatement retry;
  private final PreparedStatement oldest;
  private final PreparedStatement oldestHeld;
  private final PreparedStatement deleteKey;
  private final PreparedStatement expirable;
  private final PreparedStatement release;
  private final PreparedStatement purge;
  private final PreparedStatement claimedTotals;
  private final PreparedStatement counters;
  private final List<PreparedStatement> all = new ArrayList<>();

  MessageTable(Connection connection) throws SQLException {
    insert = prepare(connection, "INSERT INTO messages (key, queue, id_high, id_low, timestamp,"
        + " body, content_type, visible_at, attempts, state, lease, grp, dedupe)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)");
    deleteClaimed = prepare(connection,
        "DELETE FROM messages WHERE key = ? AND state = 1 AND lease = ?");
    retry = prepare(connection, "UPDATE messages SET state = 0, lease = 0, visible_at = ?,"
        + " attempts = attempts - ? WHERE key = ? AND state = 1 AND lease = ?");
    oldest = prepare(connection, "SELECT MIN(timestamp) FROM messages WHERE queue = ?");
    oldestHeld = prepare(connection, "SELECT " + COLUMNS
        + " FROM messages WHERE queue = ? AND state = 2 ORDER BY key LIMIT ?");
    deleteKey = prepare(connection, "DELETE FROM messages WHERE key = ?");
    expirable = prepare(connection, "SELECT " + COLUMNS + " FROM messages"
        + " WHERE queue = ? AND timestamp < ? AND state <> 1 ORDER BY timestamp, key LIMIT ?");
    release = prepare(connection,
        "UPDATE messages SET state = 0, visible_at = ? WHERE key = ?");
    purge = prepare(connection, "DELETE FROM messages WHERE queue = ? AND state <> 1");
    claimedTotals = prepare(connection, "SELECT COUNT(*), COALESCE(SUM(length(body)), 0)"
        + " FROM messages WHERE queue = ? AND state = 1");
    counters = prepare(connection,
        "UPDATE queues SET count = ?, bytes = ?, held = ? WHERE id = ?");
  }

  private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    all.add(statement);
    return statement;
  }

  /** A row read back: the message, its key and its state. */
  record Row(long key, StoredMessage message, int state) {}

  /**
   * Adds one row to the pending insert batch; {@link #flushInserts()} writes them. {@code fifo}:
   * whether to keep the message's group and deduplication key (a FIFO queue's message).
   */
  void addInsert(long key, long queue, StoredMessage m, long visibleAt, int state, boolean fifo)
      throws SQLException {
    insert.setLong(1, key);
    insert.setLong(2, queue);
    insert.setLong(3, m.idHigh());
    insert.setLong(4, m.idLow());
    insert.setLong(5, m.timestamp());
    insert.setBytes(6, m.body());
    insert.setInt(7, code(m.contentType()));
    insert.setLong(8, visibleAt);
    insert.setInt(9, 0);
    insert.setInt(10, state);
    @Nullable String group = fifo ? m.groupId() : null;
    @Nullable String dedupe = fifo ? m.dedupeKey() : null;
    if (group != null && dedupe != null) {
      insert.setString(11, group);
      insert.setString(12, dedupe);
    } else {
      insert.setNull(11, java.sql.Types.VARCHAR);
      insert.setNull(12, java.sql.Types.VARCHAR);
    }
    insert.addBatch();
  }

  void flushInserts() throws SQLException {
    insert.executeBatch();
  }

  void addDeleteClaimed(long key, long lease) throws SQLException {
    deleteClaimed.setLong(1, key);
    deleteClaimed.setLong(2, lease);
    deleteClaimed.addBatch();
  }

  /** Runs the pending deletes of claimed rows; 1 per row deleted, 0 per stale claim. */
  int[] flushDeleteClaimed() throws SQLException {
    return deleteClaimed.executeBatch();
  }

  /**
   * Puts a FIFO queue's claimed row back, waiting under its own key (first again in its group);
   * undoes the claim's attempt unless {@code countAttempt}.
   */
  void addRetry(long key, long lease, long visibleAt, boolean countAttempt) throws SQLException {
    retry.setLong(1, visibleAt);
    retry.setInt(2, countAttempt ? 0 : 1);
    retry.setLong(3, key);
    retry.setLong(4, lease);
    retry.addBatch();
  }

  /** Runs the pending retries; 1 per row returned, 0 per stale claim. */
  int[] flushRetries() throws SQLException {
    return retry.executeBatch();
  }

  /** The oldest send time among the queue's rows, or -1 if it has none. */
  long oldest(long queue) throws SQLException {
    oldest.setLong(1, queue);
    try (ResultSet rs = oldest.executeQuery()) {
      long min = rs.next() ? rs.getLong(1) : 0;
      return rs.wasNull() ? -1 : min;
    }
  }

  /** The queue's {@code max} oldest held rows, in arrival order. */
  List<Row> oldestHeld(long queue, int max) throws SQLException {
    oldestHeld.setLong(1, queue);
    oldestHeld.setInt(2, max);
    return rows(oldestHeld, Math.min(max, 1024));
  }

  void deleteKeys(List<Row> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    for (Row row : rows) {
      deleteKey.setLong(1, row.key());
      deleteKey.addBatch();
    }
    deleteKey.executeBatch();
  }

  /** Up to {@code max} unclaimed rows sent before {@code sentBefore}, oldest first. */
  List<Row> expirable(long queue, long sentBefore, int max) throws SQLException {
    expirable.setLong(1, queue);
    expirable.setLong(2, sentBefore);
    expirable.setInt(3, max);
    return rows(expirable, Math.min(max, 1024));
  }

  /** Makes a FIFO queue's held row waiting under its own key: its place in its group. */
  void addRelease(long key, long visibleAt) throws SQLException {
    release.setLong(1, visibleAt);
    release.setLong(2, key);
    release.addBatch();
  }

  void flushReleases() throws SQLException {
    release.executeBatch();
  }

  /** Deletes every row of the queue not claimed; returns how many. */
  int purge(long queue) throws SQLException {
    purge.setLong(1, queue);
    return purge.executeUpdate();
  }

  /** Count and bytes of the queue's claimed rows (a FIFO queue's). */
  long[] claimedTotals(long queue) throws SQLException {
    claimedTotals.setLong(1, queue);
    try (ResultSet rs = claimedTotals.executeQuery()) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  void addCounters(long queue, long count, long bytes, long held) throws SQLException {
    counters.setLong(1, count);
    counters.setLong(2, bytes);
    counters.setLong(3, held);
    counters.setLong(4, queue);
    counters.addBatch();
  }

  void flushCounters() throws SQLException {
    counters.executeBatch();
  }

  /** Runs a query of {@link #COLUMNS}: the rows it returns. */
  static List<Row> rows(PreparedStatement statement, int expected) throws SQLException {
    List<Row> rows = new ArrayList<>(Math.min(expected, 1024));
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        @Nullable String group = rs.getString(10);
        @Nullable String dedupe = rs.getString(11);
        StoredMessage m = group != null && dedupe != null
            ? StoredMessage.of(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBytes(5),
                contentType(rs.getInt(6)), rs.getLong(7), rs.getInt(8), group, dedupe)
            : StoredMessage.of(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBytes(5),
                contentType(rs.getInt(6)), rs.getLong(7), rs.getInt(8));
        rows.add(new Row(rs.getLong(1), m, rs.getInt(9)));
      }
    }
    return rows;
  }

  static int code(QueueContentType type) {
    return switch (type) {
      case JSON -> 0;
      case TEXT -> 1;
      case BYTES -> 2;
      case V8 -> 3;
    };
  }

  static QueueContentType contentType(int code) throws SQLException {
    return switch (code) {
      case 0 -> QueueContentType.JSON;
      case 1 -> QueueContentType.TEXT;
      case 2 -> QueueContentType.BYTES;
      case 3 -> QueueContentType.V8;
      default -> throw new SQLException("unknown content_type code " + code + " in a message row",
          null, org.sqlite.SQLiteErrorCode.SQLITE_CORRUPT.code);
    };
  }

  @Override
  public void close() throws SQLException {
    closeAll(all);
  }

  /** Closes every statement, even after one fails; then throws the last failure, if any. */
  static void closeAll(Iterable<PreparedStatement> statements) throws SQLException {
    SQLException failure = null;
    for (PreparedStatement statement : statements) {
      try {
        statement.close();
      } catch (SQLException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
