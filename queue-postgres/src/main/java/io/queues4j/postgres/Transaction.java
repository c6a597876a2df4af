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
 * about. {@link #finish()} then writes the counters (one row per queue in this worker's slot),
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
  private final TreeMap<Integer, long[]> deltas = new TreeMap<>(); // sorted: a fixed lock order
  private final TreeSet<Integer> notify = new TreeSet<>();

  Transaction(Connection connection, Sql sql, int slot, long owner) {
    this.connection = connection;
    this.sql = sql;
    this.slot = slot;
    this.payloadPrefix = Long.toHexString(owner) + ":";
  }

  /** Records that a queue gained (or, negative, lost) messages and bytes. */
  void changed(int queueId, long messages, long bytes) {
    long[] delta = deltas.computeIfAbsent(queueId, q -> new long[2]);
    delta[0] += messages;
    delta[1] += bytes;
  }

  /** Records that other engines should claim from a queue once this transaction commits. */
  void notify(int queueId) {
    notify.add(queueId);
  }

  /**
   * Writes the counters and notifications; returns the totals of every queue whose counters
   * changed, as they will be once this transaction commits.
   */
  Map<Integer, QueueMetrics> finish() throws SQLException {
    Map<Integer, QueueMetrics> totals = Map.of();
    if (!deltas.isEmpty()) {
      totals = new HashMap<>();
      Integer[] ids = deltas.keySet().toArray(new Integer[0]);
      Long[] counts = new Long[ids.length];
      Long[] bytes = new Long[ids.length];
      int i = 0;
      for (long[] delta : deltas.values()) {
        counts[i] = delta[0];
        bytes[i++] = delta[1];
      }
      try (PreparedStatement st = connection.prepareStatement(sql.finish)) {
        st.setArray(1, array("int4", ids));
        st.setArray(2, array("int8", counts));
        st.setArray(3, array("int8", bytes));
        st.setInt(4, slot);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            totals.put(rs.getInt(1), metrics(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
          }
        }
      }
    }
    if (!notify.isEmpty()) {
      String[] payloads = new String[notify.size()];
      int i = 0;
      for (int queueId : notify) {
        payloads[i++] = payloadPrefix + queueId;
      }
      try (PreparedStatement st = connection.prepareStatement(sql.notify)) {
        st.setString(1, sql.channel);
        st.setArray(2, array("text", payloads));
        st.executeQuery().close();
      }
    }
    return totals;
  }

  Array array(String type, Object[] values) throws SQLException {
    return connection.createArrayOf(type, values);
  }

  /** The metrics of a queue from its totals; an empty queue's oldest timestamp is 0. */
  static QueueMetrics metrics(long count, long bytes, long oldest) {
    return count <= 0 ? QueueMetrics.EMPTY : new QueueMetrics(count, bytes, oldest);
  }
}
