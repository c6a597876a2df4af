package io.queues4j.sqlite;

import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one database transaction does, operation by operation, for every queue: the SQL, and the
 * queues' counters as they will be once it commits. Nothing is visible outside until {@link
 * #publish()}, which the writer calls after the commit; a transaction rolled back is dropped.
 * Confined to the writer.
 */
final class Transaction {
  private static final Comparator<MessageTable.Row> VISIBILITY =
      Comparator.comparingLong((MessageTable.Row r) -> r.message().visibleAt())
          .thenComparingLong(MessageTable.Row::key);

  private final Database db;
  private final MessageTable table;
  private final IdentityHashMap<SqliteQueueStore, Counters> touched = new IdentityHashMap<>();

  Transaction(Database db) {
    this.db = db;
    this.table = db.table();
  }

  /** A queue's counters inside this transaction. */
  private static final class Counters {
    long count;
    long bytes;
    long held;
    long oldest; // -1: none
    boolean removed; // the oldest must be looked up again

    Counters(SqliteQueueStore.Committed c) {
      count = c.count();
      bytes = c.bytes();
      held = c.held();
      oldest = c.oldest();
    }

    void added(StoredMessage m, boolean isHeld) {
      count++;
      bytes += m.size();
      held += isHeld ? 1 : 0;
      oldest = oldest < 0 ? m.timestamp() : Math.min(oldest, m.timestamp());
    }

    void removed(StoredMessage m, boolean wasHeld) {
      count--;
      bytes -= m.size();
      held -= wasHeld ? 1 : 0;
      removed = true;
    }
  }

  private Counters of(SqliteQueueStore queue) {
    Counters c = touched.get(queue);
    if (c == null) {
      c = new Counters(queue.committed());
      touched.put(queue, c);
    }
    return c;
  }

  // ---- operations ----

  long createQueue(String name) throws SQLException {
    return db.createQueue(name);
  }

  Void add(SqliteQueueStore queue, List<StoredMessage> messages) throws SQLException {
    Counters c = of(queue);
    for (StoredMessage m : messages) {
      table.addInsert(db.nextKey(), queue.id, m, m.visibleAt(), Schema.WAITING);
      c.added(m, false);
    }
    table.flushInserts();
    return null;
  }

  ClaimResult claim(SqliteQueueStore queue, int max, long now) throws SQLException {
    long lease = db.nextLease();
    List<MessageTable.Row> rows = table.claim(queue.id, max, now, lease);
    rows.sort(VISIBILITY);
    List<Claim> claims = new ArrayList<>(rows.size());
    for (MessageTable.Row row : rows) {
      claims.add(new Claim(row.message(), row.key(), lease));
    }
    return new ClaimResult(claims, table.nextVisible(queue.id));
  }

  SettleResult settle(SqliteQueueStore queue, List<Settlement> settlements) throws SQLException {
    List<Settlement> removals = new ArrayList<>(settlements.size());
    List<Settlement.Retry> retries = new ArrayList<>(0);
    for (Settlement s : settlements) {
      if (s instanceof Settlement.Retry retry) {
        retries.add(retry);
      } else {
        removals.add(s);
      }
    }
    List<Claim> stale = new ArrayList<>(0);
    List<Settlement.MoveTo> moves = new ArrayList<>(0);
    if (!removals.isEmpty()) {
      for (Settlement s : removals) {
        table.addDeleteClaimed(s.claim().key(), s.claim().lease());
      }
      int[] deleted = table.flushDeleteClaimed();
      Counters c = of(queue);
      for (int i = 0; i < deleted.length; i++) {
        Settlement s = removals.get(i);
        if (deleted[i] == 0) {
          stale.add(s.claim());
        } else {
          c.removed(s.claim().message(), false);
          if (s instanceof Settlement.MoveTo move) {
            moves.add(move);
          }
        }
      }
    }
    if (!retries.isEmpty()) {
      for (Settlement.Retry r : retries) {
        table.addRetry(r.claim().key(), r.claim().lease(), db.nextKey(), r.visibleAt(),
            r.countAttempt());
      }
      int[] returned = table.flushRetries();
      for (int i = 0; i < returned.length; i++) {
        if (returned[i] == 0) {
          stale.add(retries.get(i).claim());
        }
      }
    }
    List<SettleResult.Eviction> evicted = moves.isEmpty() ? List.of() : move(queue, moves);
    return stale.isEmpty() && evicted.isEmpty()
        ? SettleResult.APPLIED : new SettleResult(stale, evicted);
  }

  /** Adds moved messages to their targets; evicts held dead letters beyond capacity. */
  private List<SettleResult.Eviction> move(SqliteQueueStore source, List<Settlement.MoveTo> moves)
      throws SQLException {
    Map<SqliteQueueStore, Integer> capacities = new LinkedHashMap<>();
    for (Settlement.MoveTo move : moves) {
      SqliteQueueStore target = source.sameStore(move.target());
      boolean held = move.holdCapacity() > 0;
      StoredMessage m = move.claim().message();
      table.addInsert(db.nextKey(), target.id, m, move.visibleAt(),
          held ? Schema.HELD : Schema.WAITING);
      of(target).added(m, held);
      if (held) {
        capacities.put(target, move.holdCapacity());
      }
    }
    table.flushInserts();
    List<SettleResult.Eviction> evicted = new ArrayList<>(0);
    for (Map.Entry<SqliteQueueStore, Integer> e : capacities.entrySet()) {
      SqliteQueueStore target = e.getKey();
      Counters c = of(target);
      long excess = c.held - e.getValue();
      if (excess > 0) {
        List<MessageTable.Row> rows = table.oldestHeld(target.id, (int) excess);
        table.deleteKeys(rows);
        for (MessageTable.Row row : rows) {
          c.removed(row.message(), true);
          evicted.add(new SettleResult.Eviction(target, row.message()));
        }
      }
    }
    return evicted;
  }

  List<StoredMessage> expire(SqliteQueueStore queue, long sentBefore, int max)
      throws SQLException {
    List<MessageTable.Row> rows = table.expirable(queue.id, sentBefore, max);
    table.deleteKeys(rows);
    List<StoredMessage> expired = new ArrayList<>(rows.size());
    if (!rows.isEmpty()) {
      Counters c = of(queue);
      for (MessageTable.Row row : rows) {
        c.removed(row.message(), row.state() == Schema.HELD);
        expired.add(row.message());
      }
    }
    return expired;
  }

  Integer releaseHeld(SqliteQueueStore queue, long now) throws SQLException {
    Counters c = of(queue);
    if (c.held == 0) {
      return 0;
    }
    List<MessageTable.Row> rows = table.oldestHeld(queue.id, Integer.MAX_VALUE);
    for (MessageTable.Row row : rows) {
      table.addRelease(row.key(), db.nextKey(), now);
    }
    table.flushReleases();
    c.held = 0;
    return rows.size();
  }

  List<StoredMessage> held(SqliteQueueStore queue, boolean remove) throws SQLException {
    Counters c = of(queue);
    if (c.held == 0) {
      return List.of();
    }
    List<MessageTable.Row> rows = table.oldestHeld(queue.id, Integer.MAX_VALUE);
    List<StoredMessage> letters = new ArrayList<>(rows.size());
    for (MessageTable.Row row : rows) {
      letters.add(row.message());
    }
    if (remove) {
      table.deleteKeys(rows);
      for (MessageTable.Row row : rows) {
        c.removed(row.message(), true);
      }
    }
    return letters;
  }

  Long purge(SqliteQueueStore queue) throws SQLException {
    long purged = table.purge(queue.id);
    if (purged > 0) {
      Counters c = of(queue);
      long[] claimed = table.claimedTotals(queue.id);
      c.count = claimed[0];
      c.bytes = claimed[1];
      c.held = 0;
      c.removed = true;
    }
    return purged;
  }

  // ---- commit ----

  /** Before the commit: looks up the oldest message where some left, and writes the counters. */
  void finish() throws SQLException {
    if (touched.isEmpty()) {
      return;
    }
    for (Map.Entry<SqliteQueueStore, Counters> e : touched.entrySet()) {
      Counters c = e.getValue();
      if (c.removed) {
        c.oldest = c.count == 0 ? -1 : table.oldest(e.getKey().id);
      }
      table.addCounters(e.getKey().id, c.count, c.bytes, c.held);
    }
    table.flushCounters();
  }

  /** After the commit: makes the new counters every queue's own. */
  void publish() {
    for (Map.Entry<SqliteQueueStore, Counters> e : touched.entrySet()) {
      Counters c = e.getValue();
      e.getKey().commit(new SqliteQueueStore.Committed(c.count, c.bytes, c.held, c.oldest));
    }
  }
}
