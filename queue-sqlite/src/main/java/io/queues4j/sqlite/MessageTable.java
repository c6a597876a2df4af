package io.queues4j.sqlite;

import io.queues4j.QueueContentType;
import io.queues4j.spi.StoredMessage;
import java.nio.ByteBuffer;
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

  /**
   * Leaves out a standard queue's rows in flight: waiting rows at or before its claim cursor
   * (parameters: the cursor's visible_at and key; {@link Long#MIN_VALUE} twice leaves out none,
   * for FIFO queues, whose claimed rows have state 1).
   */
  private static final String NOT_IN_FLIGHT =
      " AND NOT (state = 0 AND (visible_at, key) <= (?, ?))";

  private final PreparedStatement insert;
  private final PreparedStatement ready;
  private final PreparedStatement nextVisible;
  private final PreparedStatement deleteClaimed;
  private final PreparedStatement retry;
  private final PreparedStatement deleteInFlight;
  private final PreparedStatement retryInFlight;
  private final PreparedStatement recordClaim;
  private final PreparedStatement dropClaim;
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
    ready = prepare(connection, "SELECT " + COLUMNS + " FROM messages WHERE queue = ?"
        + " AND state = 0 AND (visible_at, key) > (?, ?) AND visible_at <= ?"
        + " ORDER BY visible_at, key LIMIT ?");
    nextVisible = prepare(connection, "SELECT visible_at FROM messages WHERE queue = ?"
        + " AND state = 0 AND (visible_at, key) > (?, ?) ORDER BY visible_at, key LIMIT 1");
    deleteClaimed = prepare(connection,
        "DELETE FROM messages WHERE key = ? AND state = 1 AND lease = ?");
    retry = prepare(connection, "UPDATE messages SET key = ?, state = 0, lease = 0,"
        + " visible_at = ?, attempts = attempts - ? WHERE key = ? AND state = 1 AND lease = ?");
    deleteInFlight = prepare(connection, "DELETE FROM messages WHERE key = ? AND state = 0");
    retryInFlight = prepare(connection, "UPDATE messages SET key = ?, visible_at = ?,"
        + " attempts = attempts + ? WHERE key = ? AND state = 0");
    recordClaim = prepare(connection,
        "INSERT INTO claims (lease, queue, keys) VALUES (?, ?, ?)");
    dropClaim = prepare(connection, "DELETE FROM claims WHERE lease = ?");
    oldest = prepare(connection, "SELECT MIN(timestamp) FROM messages WHERE queue = ?");
    oldestHeld = prepare(connection, "SELECT " + COLUMNS
        + " FROM messages WHERE queue = ? AND state = 2 ORDER BY key LIMIT ?");
    deleteKey = prepare(connection, "DELETE FROM messages WHERE key = ?");
    expirable = prepare(connection, "SELECT " + COLUMNS + " FROM messages"
        + " WHERE queue = ? AND timestamp < ? AND state <> 1" + NOT_IN_FLIGHT
        + " ORDER BY timestamp, key LIMIT ?");
    release = prepare(connection,
        "UPDATE messages SET key = ?, state = 0, visible_at = ? WHERE key = ?");
    purge = prepare(connection,
        "DELETE FROM messages WHERE queue = ? AND state <> 1" + NOT_IN_FLIGHT);
    claimedTotals = prepare(connection, "SELECT COUNT(*), COALESCE(SUM(length(body)), 0)"
        + " FROM messages WHERE queue = ? AND (state = 1 OR (state = 0"
        + " AND (visible_at, key) <= (?, ?)))");
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

  /**
   * Up to {@code max} waiting rows of the queue past the cursor that are visible at {@code now},
   * in (visible_at, key) order. Reads only.
   */
  List<Row> ready(long queue, InFlight.Cursor cursor, long now, int max) throws SQLException {
    ready.setLong(1, queue);
    ready.setLong(2, cursor.visibleAt());
    ready.setLong(3, cursor.key());
    ready.setLong(4, now);
    ready.setInt(5, max);
    return rows(ready, max);
  }

  /** The earliest {@code visible_at} of a waiting row past the cursor, or {@link Long#MAX_VALUE}. */
  long nextVisible(long queue, InFlight.Cursor cursor) throws SQLException {
    nextVisible.setLong(1, queue);
    nextVisible.setLong(2, cursor.visibleAt());
    nextVisible.setLong(3, cursor.key());
    try (ResultSet rs = nextVisible.executeQuery()) {
      return rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
    }
  }

  /** Records a standard queue's claim: its lease and keys, for recovery. */
  void recordClaim(long lease, long queue, long[] keys) throws SQLException {
    ByteBuffer listed = ByteBuffer.allocate(keys.length * Long.BYTES);
    listed.asLongBuffer().put(keys);
    recordClaim.setLong(1, lease);
    recordClaim.setLong(2, queue);
    recordClaim.setBytes(3, listed.array());
    recordClaim.executeUpdate();
  }

  /** The keys a claim record lists (its {@code keys} column). */
  static long[] claimKeys(byte[] listed) {
    long[] keys = new long[listed.length / Long.BYTES];
    ByteBuffer.wrap(listed).asLongBuffer().get(keys);
    return keys;
  }

  /** Deletes a claim's record: its last message is settled. */
  void dropClaim(long lease) throws SQLException {
    dropClaim.setLong(1, lease);
    dropClaim.executeUpdate();
  }

  void addDeleteInFlight(long key) throws SQLException {
    deleteInFlight.setLong(1, key);
    deleteInFlight.addBatch();
  }

  /** Runs the pending deletes of in-flight rows; 1 per row deleted. */
  int[] flushDeleteInFlight() throws SQLException {
    return deleteInFlight.executeBatch();
  }

  /** Puts an in-flight row back, waiting under a new key; counts the delivery if asked. */
  void addRetryInFlight(long key, long newKey, long visibleAt, boolean countAttempt)
      throws SQLException {
    retryInFlight.setLong(1, newKey);
    retryInFlight.setLong(2, visibleAt);
    retryInFlight.setInt(3, countAttempt ? 1 : 0);
    retryInFlight.setLong(4, key);
    retryInFlight.addBatch();
  }

  /** Runs the pending retries of in-flight rows; 1 per row returned. */
  int[] flushRetriesInFlight() throws SQLException {
    return retryInFlight.executeBatch();
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

  void addRetry(long key, long lease, long newKey, long visibleAt, boolean countAttempt)
      throws SQLException {
    retry.setLong(1, newKey);
    retry.setLong(2, visibleAt);
    retry.setInt(3, countAttempt ? 0 : 1);
    retry.setLong(4, key);
    retry.setLong(5, lease);
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
  List<Row> expirable(long queue, long sentBefore, int max, InFlight.Cursor cursor)
      throws SQLException {
    expirable.setLong(1, queue);
    expirable.setLong(2, sentBefore);
    expirable.setLong(3, cursor.visibleAt());
    expirable.setLong(4, cursor.key());
    expirable.setInt(5, max);
    return rows(expirable, Math.min(max, 1024));
  }

  void addRelease(long key, long newKey, long visibleAt) throws SQLException {
    release.setLong(1, newKey);
    release.setLong(2, visibleAt);
    release.setLong(3, key);
    release.addBatch();
  }

  void flushReleases() throws SQLException {
    release.executeBatch();
  }

  /** Deletes every row of the queue not in flight; returns how many. */
  int purge(long queue, InFlight.Cursor cursor) throws SQLException {
    purge.setLong(1, queue);
    purge.setLong(2, cursor.visibleAt());
    purge.setLong(3, cursor.key());
    return purge.executeUpdate();
  }

  /** Count and bytes of the queue's claimed rows. */
  long[] claimedTotals(long queue, InFlight.Cursor cursor) throws SQLException {
    claimedTotals.setLong(1, queue);
    claimedTotals.setLong(2, cursor.visibleAt());
    claimedTotals.setLong(3, cursor.key());
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
