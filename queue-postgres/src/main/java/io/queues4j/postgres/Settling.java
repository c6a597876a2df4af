package io.queues4j.postgres;

import io.queues4j.spi.Claim;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@link io.queues4j.spi.QueueStore#settle} call: at most one statement per kind (deletes,
 * retries, and moves per dead-letter queue), each matching rows by key, lease token and {@code
 * state = 1}; whatever a statement did not match was claimed again elsewhere and is stale. Moves
 * into a held dead-letter ring take a transaction-level advisory lock on the target first, so that
 * two engines filling the same ring evict exactly what is beyond its capacity. On a FIFO queue the
 * settled messages' groups are locked first and set from their messages last ({@link FifoRows}),
 * and so are the groups of a FIFO dead-letter queue that moved messages wait in.
 */
final class Settling {
  private final PostgresQueueStore queue;
  private final List<Settlement> settlements;

  Settling(PostgresQueueStore queue, List<Settlement> settlements) {
    this.queue = queue;
    this.settlements = settlements;
  }

  private record Target(PostgresQueueStore queue, int holdCapacity) {}

  SettleResult apply(Transaction tx) throws SQLException {
    List<Claim> deletes = new ArrayList<>();
    List<Settlement.Retry> retries = new ArrayList<>();
    Map<Target, List<Settlement.MoveTo>> moves = new LinkedHashMap<>();
    for (Settlement s : settlements) {
      if (s instanceof Settlement.Delete d) {
        deletes.add(d.claim());
      } else if (s instanceof Settlement.Retry r) {
        retries.add(r);
      } else if (s instanceof Settlement.MoveTo m) {
        moves.computeIfAbsent(new Target((PostgresQueueStore) m.target(), m.holdCapacity()),
            t -> new ArrayList<>()).add(m);
      }
    }
    List<FifoRows.GroupRef> groups = List.of();
    if (queue.fifo) { // the groups first: see FifoRows
      List<StoredMessage> claimed = new ArrayList<>(settlements.size());
      for (Settlement s : settlements) {
        claimed.add(s.claim().message());
      }
      groups = FifoRows.groupsOf(queue.id, claimed);
      FifoRows.lock(tx, groups);
    }
    Set<Long> applied = new HashSet<>();
    if (!deletes.isEmpty()) {
      delete(tx, deletes, applied);
    }
    if (!retries.isEmpty()) {
      retry(tx, retries, applied);
    }
    List<SettleResult.Eviction> evicted = new ArrayList<>(0);
    for (Map.Entry<Target, List<Settlement.MoveTo>> e : moves.entrySet()) {
      move(tx, e.getKey(), e.getValue(), applied, evicted);
    }
    FifoRows.recompute(tx, groups);
    List<Claim> stale = new ArrayList<>(0);
    for (Settlement s : settlements) {
      if (!applied.contains(s.claim().key())) {
        stale.add(s.claim());
      }
    }
    return stale.isEmpty() && evicted.isEmpty()
        ? SettleResult.APPLIED
        : new SettleResult(stale, evicted);
  }

  private void delete(Transaction tx, List<Claim> claims, Set<Long> applied) throws SQLException {
    Long[] keys = new Long[claims.size()];
    Long[] leases = new Long[claims.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = claims.get(i).key();
      leases[i] = claims.get(i).lease();
    }
    try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.delete)) {
      st.setArray(1, tx.array("int8", keys));
      st.setArray(2, tx.array("int8", leases));
      st.setArray(3, tx.array("int8", keys));
      st.setInt(4, queue.id);
      long count = 0;
      long bytes = 0;
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          applied.add(rs.getLong(1));
          count++;
          bytes += rs.getInt(2);
        }
      }
      if (count > 0) {
        tx.removed(queue.id, count, bytes);
      }
    }
  }

  private void retry(Transaction tx, List<Settlement.Retry> retries, Set<Long> applied)
      throws SQLException {
    int n = retries.size();
    Long[] keys = new Long[n];
    Long[] leases = new Long[n];
    Long[] visible = new Long[n];
    Integer[] undo = new Integer[n];
    for (int i = 0; i < n; i++) {
      Settlement.Retry r = retries.get(i);
      keys[i] = r.claim().key();
      leases[i] = r.claim().lease();
      visible[i] = r.visibleAt();
      undo[i] = r.countAttempt() ? 0 : 1;
    }
    try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.retry)) {
      st.setArray(1, tx.array("int8", keys));
      st.setArray(2, tx.array("int8", leases));
      st.setArray(3, tx.array("int8", visible));
      st.setArray(4, tx.array("int4", undo));
      st.setArray(5, tx.array("int8", keys));
      st.setInt(6, queue.id);
      boolean any = false;
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          applied.add(rs.getLong(1));
          any = true;
        }
      }
      if (any) {
        tx.notify(queue.id); // another engine may take it when it is due
      }
    }
  }

  private void move(Transaction tx, Target target, List<Settlement.MoveTo> moves,
      Set<Long> applied, List<SettleResult.Eviction> evicted) throws SQLException {
    boolean hold = target.holdCapacity() > 0;
    if (hold) {
      try (PreparedStatement st = tx.connection.prepareStatement(
          "SELECT pg_advisory_xact_lock(?, ?)")) {
        st.setInt(1, heldLockSpace(tx.sql.schema));
        st.setInt(2, target.queue().id);
        st.executeQuery().close();
      }
    }
    List<FifoRows.GroupRef> targetGroups = List.of();
    if (!hold && target.queue().fifo) { // messages waiting in the target's groups
      List<StoredMessage> moved = new ArrayList<>(moves.size());
      for (Settlement.MoveTo m : moves) {
        moved.add(m.claim().message());
      }
      targetGroups = FifoRows.groupsOf(target.queue().id, moved);
      FifoRows.lock(tx, targetGroups);
    }
    int n = moves.size();
    Long[] keys = new Long[n];
    Long[] leases = new Long[n];
    Long[] visible = new Long[n];
    for (int i = 0; i < n; i++) {
      Settlement.MoveTo m = moves.get(i);
      keys[i] = m.claim().key();
      leases[i] = m.claim().lease();
      visible[i] = m.visibleAt();
    }
    long count = 0;
    long bytes = 0;
    long earliest = Long.MAX_VALUE;
    try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.move)) {
      st.setArray(1, tx.array("int8", keys));
      st.setArray(2, tx.array("int8", leases));
      st.setArray(3, tx.array("int8", visible));
      st.setArray(4, tx.array("int8", keys));
      st.setInt(5, queue.id);
      st.setInt(6, target.queue().id);
      st.setInt(7, hold ? 2 : 0);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          applied.add(rs.getLong(1));
          count++;
          bytes += rs.getInt(2);
          earliest = Math.min(earliest, rs.getLong(3));
        }
      }
    }
    FifoRows.recompute(tx, targetGroups);
    if (count == 0) {
      return;
    }
    tx.removed(queue.id, count, bytes);
    tx.added(target.queue().id, count, bytes, earliest);
    if (!hold) {
      tx.notify(target.queue().id);
      return;
    }
    List<StoredMessage> out = new ArrayList<>(0);
    try (PreparedStatement st = tx.connection.prepareStatement(tx.sql.evictHeld)) {
      st.setInt(1, target.queue().id);
      st.setInt(2, target.holdCapacity());
      target.queue().removed(tx, st, out);
    }
    for (StoredMessage m : out) {
      evicted.add(new SettleResult.Eviction(target.queue(), m));
    }
  }

  /** The first key of the advisory locks on held dead-letter rings of a schema. */
  static int heldLockSpace(String schema) {
    return ("queues4j.held." + schema).hashCode();
  }
}
