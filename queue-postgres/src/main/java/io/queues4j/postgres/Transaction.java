package io.queues4j.postgres;

import io.queues4j.QueueMetrics;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One transaction of the store: the operations of a group run in it one after the other, each
 * recording how it changed the counters of its queues and which queues other engines should hear
 * about. {@link #finish(boolean)} then writes the counters (one row per queue in this worker's slot),
 * reads each changed queue's totals (the fresh metrics, this transaction included) and queues the
 * notifications, all before the commit, so they take effect exactly when the rows do.
 *
 * <p>Confined to one thread.
 */
final class Transaction {
  final Connection connection;
  final Sql sql;
  private final int slot;
  private final String payloadPrefix;
  // per queue: {count delta, bytes delta, removed (0/1), earliest added send time}; sorted by
  // queue id, a fixed lock order for the counter rows
  private final TreeMap<Integer, long[]> deltas = new TreeMap<>();
  private final TreeSet<Integer> notify = new TreeSet<>();

  Transaction(Connection connection, Sql sql, int slot, long owner) {
    this.connection = connection;
    this.sql = sql;
    this.slot = slot;
    this.payloadPrefix = Long.toHexString(owner) + ":";
  }

  /** Records that a queue gained messages and bytes, the earliest sent at {@code sentAt}. */
  void added(int queueId, long messages, long bytes, long sentAt) {
    long[] delta = delta(queueId);
    delta[0] += messages;
    delta[1] += bytes;
    delta[3] = Math.min(delta[3], sentAt);
  }

  /** Records that a queue lost messages and bytes. */
  void removed(int queueId, long messages, long bytes) {
    long[] delta = delta(queueId);
    delta[0] -= messages;
    delta[1] -= bytes;
    delta[2] = 1;
  }

  private long[] delta(int queueId) {
    return deltas.computeIfAbsent(queueId, q -> new long[] {0, 0, 0, Long.MAX_VALUE});
  }

  /**
   * A queue's totals once the transaction commits: count and bytes exact; the oldest send time
   * read ({@code oldest >= 0}) or, if not read ({@code -1}), to be derived from what was known
   * before and the earliest added ({@code minAdded}).
   */
  record Totals(long count, long bytes, long oldest, long minAdded) {}

  /** Records that other engines should claim from a queue once this transaction commits. */
  void notify(int queueId) {
    notify.add(queueId);
  }

  /**
   * Writes the counters and notifications; returns the totals of every queue whose counters
   * changed, as they will be once this transaction commits. The oldest send time of a queue that
   * lost messages is read only if {@code alone} (no other transaction of this store is running:
   * the read walks the index past the rows deleted since the last vacuum, worth it for exact
   * metrics when a store is used one operation at a time, not under load).
   */
  Map<Integer, Totals> finish(boolean alone) throws SQLException {
    String[] payloads = new String[notify.size()];
    int p = 0;
    for (int queueId : notify) {
      payloads[p++] = payloadPrefix + queueId;
    }
    if (deltas.isEmpty()) {
      if (payloads.length > 0) {
        try (PreparedStatement st = connection.prepareStatement(sql.notify)) {
          st.setString(1, sql.channel);
          st.setArray(2, array("text", payloads));
          st.executeQuery().close();
        }
      }
      return Map.of();
    }
    Map<Integer, Totals> totals = new HashMap<>();
    Integer[] ids = deltas.keySet().toArray(new Integer[0]);
    Long[] counts = new Long[ids.length];
    Long[] bytes = new Long[ids.length];
    Boolean[] readOldest = new Boolean[ids.length];
    int i = 0;
    for (long[] delta : deltas.values()) {
      counts[i] = delta[0];
      bytes[i] = delta[1];
      readOldest[i++] = alone && delta[2] == 1;
    }
    try (PreparedStatement st = connection.prepareStatement(
        payloads.length > 0 ? sql.finishAndNotify : sql.finish)) {
      st.setArray(1, array("int4", ids));
      st.setArray(2, array("int8", counts));
      st.setArray(3, array("int8", bytes));
      st.setArray(4, array("bool", readOldest));
      st.setInt(5, slot);
      if (payloads.length > 0) {
        st.setString(6, sql.channel);
        st.setArray(7, array("text", payloads));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          long[] delta = deltas.get(rs.getInt(1));
          totals.put(rs.getInt(1), new Totals(rs.getLong(2), rs.getLong(3), rs.getLong(4),
              delta == null ? Long.MAX_VALUE : delta[3]));
        }
      }
    }
    return totals;
  }

  Array array(String type, Object[] values) throws SQLException {
    return connection.createArrayOf(type, values);
  }

  /** The metrics of a queue from its totals; an empty queue's oldest timestamp is 0. */
  static QueueMetrics metrics(long count, long bytes, long oldest) {
    return count <= 0
        ? QueueMetrics.EMPTY
        : new QueueMetrics(count, Math.max(0, bytes), Math.max(0, oldest));
  }
}
