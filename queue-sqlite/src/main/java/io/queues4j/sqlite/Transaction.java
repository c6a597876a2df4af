package io.queues4j.sqlite;

import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one database transaction does, operation by operation, for every queue: the SQL, and the
 * queues' counters as they will be once it commits. Nothing is visible outside until {@link
 * #publish()}, which the writer calls after the commit; a transaction rolled back is dropped.
 * Confined to the writer.
 */
final class Transaction {
  private final Database db;
  private final MessageTable table;
  private final IdentityHashMap<SqliteQueueStore, Counters> touched = new IdentityHashMap<>();
  /** FIFO groups whose waiting or claimed messages the current operation changed. */
  private final IdentityHashMap<SqliteQueueStore, Set<String>> changedGroups =
      new IdentityHashMap<>();
  /** How to take back this transaction's changes to the queues' in-flight state. */
  private final List<Runnable> undo = new ArrayList<>();
  /** The packets and claims whose state {@link #undo} restores (each once). */
  private final IdentityHashMap<Object, Boolean> remembered = new IdentityHashMap<>();
  private @Nullable PacketSteps packets;
  /** Standard queues' adds not written yet: packed together, written before anything else. */
  private final Map<SqliteQueueStore, List<StoredMessage>> adds = new LinkedHashMap<>();

  Transaction(Database db) {
    this.db = db;
    this.table = db.table();
  }

  /** The steps on standard queues' packets. */
  private PacketSteps packets() {
    PacketSteps p = packets;
    if (p == null) {
      p = new PacketSteps(this, db);
      packets = p;
    }
    return p;
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

  /** Counts a message added to the queue. */
  void added(SqliteQueueStore queue, StoredMessage m, boolean held) {
    of(queue).added(m, held);
  }

  /** Counts a message removed from the queue. */
  void removed(SqliteQueueStore queue, StoredMessage m, boolean held) {
    of(queue).removed(m, held);
  }

  /** Registers how to take back a change to in-memory state if the transaction rolls back. */
  void onUndo(Runnable step) {
    undo.add(step);
  }

  /** Before a packet's first change in this transaction: remembers its state, for the undo. */
  void remember(Packet p) {
    if (remembered.put(p, Boolean.TRUE) == null) {
      undo.add(p.snapshot());
    }
  }

  /** Before a claim's first change in this transaction: remembers how many are open. */
  void remember(InFlight.Batch batch) {
    if (remembered.put(batch, Boolean.TRUE) == null) {
      int open = batch.open;
      undo.add(() -> batch.open = open);
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

  /**
   * Adds messages. A standard queue's are packed with those of the adds that follow in this
   * transaction (concurrent sends sharing a commit become one packet) and written by {@link
   * #writeAdds()}, before the transaction's next other operation or its commit: they are in the
   * table, in order, whenever anything else looks.
   */
  Void add(SqliteQueueStore queue, List<StoredMessage> messages) throws SQLException {
    Counters c = of(queue);
    for (StoredMessage m : messages) {
      c.added(m, false);
    }
    if (!queue.fifo) {
      adds.computeIfAbsent(queue, q -> new ArrayList<>()).addAll(unattempted(messages));
      return null;
    }
    for (StoredMessage m : messages) {
      insert(queue, m, m.visibleAt(), Schema.WAITING);
    }
    table.flushInserts();
    refreshGroups();
    return null;
  }

  /** Writes the standard queues' adds packed so far. */
  void writeAdds() throws SQLException {
    if (adds.isEmpty()) {
      return;
    }
    for (Map.Entry<SqliteQueueStore, List<StoredMessage>> e : adds.entrySet()) {
      packets().insert(e.getKey(), e.getValue());
    }
    adds.clear();
  }

  /** The messages with no attempts, as an add stores them. */
  private static List<StoredMessage> unattempted(List<StoredMessage> messages) {
    for (StoredMessage m : messages) {
      if (m.attempts() != 0) {
        List<StoredMessage> copies = new ArrayList<>(messages.size());
        for (StoredMessage each : messages) {
          copies.add(each.attempts() == 0 ? each : each.with(each.visibleAt(), 0));
        }
        return copies;
      }
    }
    return messages;
  }

  /**
   * Adds a row to the pending inserts (a FIFO queue's message, or a held dead letter); a FIFO
   * queue's waiting message changes its group.
   */
  private void insert(SqliteQueueStore queue, StoredMessage m, long visibleAt, int state)
      throws SQLException {
    table.addInsert(db.nextKey(), queue.id, m, visibleAt, state, queue.fifo);
    if (state == Schema.WAITING) {
      changed(queue, m);
    }
  }

  /** Notes that the group of {@code m} (if it is a FIFO queue's message) changed. */
  private void changed(SqliteQueueStore queue, StoredMessage m) {
    String group = m.groupId();
    if (queue.fifo && group != null) {
      changedGroups.computeIfAbsent(queue, q -> new LinkedHashSet<>()).add(group);
    }
  }

  /** Brings the changed groups' heads up to date: at the end of every operation that changes. */
  private void refreshGroups() throws SQLException {
    if (changedGroups.isEmpty()) {
      return;
    }
    FifoTable fifo = db.fifo();
    for (Map.Entry<SqliteQueueStore, Set<String>> e : changedGroups.entrySet()) {
      for (String group : e.getValue()) {
        fifo.refresh(e.getKey().id, group);
      }
    }
    changedGroups.clear();
  }

  List<String> addDeduplicated(SqliteQueueStore queue, List<StoredMessage> messages, long now,
      long windowMillis) throws SQLException {
    FifoTable fifo = db.fifo();
    long expires = now + windowMillis < now ? Long.MAX_VALUE : now + windowMillis;
    Counters c = of(queue);
    List<String> ids = new ArrayList<>(messages.size());
    boolean added = false;
    for (StoredMessage m : messages) {
      String group = requireGroup(m.groupId(), m);
      String key = requireGroup(m.dedupeKey(), m);
      String original = fifo.original(queue.id, group, key, now);
      if (original != null) {
        ids.add(original);
        continue;
      }
      fifo.record(queue.id, group, key, m.id(), now, expires); // seen by the batch's next ones
      insert(queue, m, m.visibleAt(), Schema.WAITING);
      c.added(m, false);
      ids.add(m.id());
      added = true;
    }
    if (added) {
      table.flushInserts();
      refreshGroups();
    }
    return ids;
  }

  private static String requireGroup(@Nullable String value, StoredMessage m) {
    if (value == null) { // checked by the caller
      throw new IllegalStateException("message " + m.id() + " has no group or no key");
    }
    return value;
  }

  /** Claims the run of one group: see {@link io.queues4j.spi.QueueStore#claimGroup}. */
  ClaimResult claimGroup(SqliteQueueStore queue, int max, long now) throws SQLException {
    FifoTable fifo = db.fifo();
    FifoTable.Head head;
    while ((head = fifo.firstHead(queue.id)) != null && head.visibleAt() <= now) {
      List<MessageTable.Row> rows = fifo.groupRun(queue.id, head.group(), max);
      long lease = db.nextLease();
      List<Claim> claims = new ArrayList<>(rows.size());
      for (MessageTable.Row row : rows) {
        StoredMessage m = row.message();
        if (m.visibleAt() > now) {
          break;
        }
        fifo.addClaim(row.key(), lease);
        claims.add(new Claim(m.with(m.visibleAt(), m.attempts() + 1), row.key(), lease));
      }
      if (claims.isEmpty()) { // a head that disagrees with its messages: never expected
        fifo.refresh(queue.id, head.group());
        continue;
      }
      fifo.flushClaims();
      fifo.removeHead(queue.id, head.group());
      FifoTable.Head next = fifo.firstHead(queue.id);
      return new ClaimResult(claims, next == null ? Long.MAX_VALUE : next.visibleAt());
    }
    return head == null ? ClaimResult.EMPTY : new ClaimResult(List.of(), head.visibleAt());
  }

  /** Deletes up to {@code max} deduplication records of the queue that expired by {@code now}. */
  Integer sweepDeduplication(SqliteQueueStore queue, long now, int max) throws SQLException {
    return db.fifo().sweep(queue.id, now, max);
  }

  /** Claims a standard queue's next ready messages: see {@link PacketSteps#claim}. */
  ClaimResult claim(SqliteQueueStore queue, int max, long now) throws SQLException {
    return packets().claim(queue, max, now);
  }

  SettleResult settle(SqliteQueueStore queue, List<Settlement> settlements) throws SQLException {
    List<Claim> stale = new ArrayList<>(0);
    List<Settlement> removed;
    if (queue.fifo) {
      removed = settleMarked(queue, settlements, stale);
    } else {
      removed = packets().settle(queue, settlements, stale);
    }
    List<Settlement.MoveTo> moves = new ArrayList<>(0);
    Counters c = of(queue);
    for (Settlement s : removed) {
      c.removed(s.claim().message(), false);
      if (s instanceof Settlement.MoveTo move) {
        moves.add(move);
      }
    }
    List<SettleResult.Eviction> evicted = moves.isEmpty() ? List.of() : move(queue, moves);
    refreshGroups();
    return stale.isEmpty() && evicted.isEmpty()
        ? SettleResult.APPLIED : new SettleResult(stale, evicted);
  }

  /**
   * Applies a FIFO queue's settlements, whose claimed rows are marked with their lease: a row
   * claimed again since is left alone, and found stale. A retried message keeps its key, its place
   * first in its group.
   *
   * @return the removed messages' settlements (deletes and moves), in order
   */
  private List<Settlement> settleMarked(SqliteQueueStore queue, List<Settlement> settlements,
      List<Claim> stale) throws SQLException {
    List<Settlement> removals = new ArrayList<>(settlements.size());
    List<Settlement.Retry> retries = new ArrayList<>(0);
    for (Settlement s : settlements) {
      Claim claim = s.claim();
      if (s instanceof Settlement.Retry retry) {
        table.addRetry(claim.key(), claim.lease(), retry.visibleAt(), retry.countAttempt());
        retries.add(retry);
      } else {
        table.addDeleteClaimed(claim.key(), claim.lease());
        removals.add(s);
      }
    }
    List<Settlement> removed = new ArrayList<>(removals.size());
    if (!removals.isEmpty()) {
      int[] deleted = table.flushDeleteClaimed();
      for (int i = 0; i < deleted.length; i++) {
        Settlement s = removals.get(i);
        if (deleted[i] == 0) { // claimed again since
          stale.add(s.claim());
        } else {
          changed(queue, s.claim().message());
          removed.add(s);
        }
      }
    }
    if (!retries.isEmpty()) {
      int[] returned = table.flushRetries();
      for (int i = 0; i < returned.length; i++) {
        if (returned[i] == 0) {
          stale.add(retries.get(i).claim());
        } else {
          changed(queue, retries.get(i).claim().message());
        }
      }
    }
    return removed;
  }

  /** Adds moved messages to their targets; evicts held dead letters beyond capacity. */
  private List<SettleResult.Eviction> move(SqliteQueueStore source, List<Settlement.MoveTo> moves)
      throws SQLException {
    Map<SqliteQueueStore, Integer> capacities = new LinkedHashMap<>();
    Map<SqliteQueueStore, List<StoredMessage>> waiting = new LinkedHashMap<>();
    for (Settlement.MoveTo move : moves) {
      SqliteQueueStore target = source.sameStore(move.target());
      boolean held = move.holdCapacity() > 0;
      StoredMessage m = move.claim().message();
      of(target).added(m, held);
      if (held) {
        insert(target, m, move.visibleAt(), Schema.HELD);
        capacities.put(target, move.holdCapacity());
      } else if (target.fifo) {
        insert(target, m, move.visibleAt(), Schema.WAITING);
      } else {
        waiting.computeIfAbsent(target, t -> new ArrayList<>()).add(m.with(move.visibleAt(), 0));
      }
    }
    table.flushInserts();
    for (Map.Entry<SqliteQueueStore, List<StoredMessage>> e : waiting.entrySet()) {
      packets().insert(e.getKey(), e.getValue());
    }
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
    if (!queue.fifo) { // the rows are held dead letters; the waiting messages are in packets
      return packets().expire(queue, sentBefore, max, rows);
    }
    table.deleteKeys(rows);
    List<StoredMessage> expired = new ArrayList<>(rows.size());
    if (!rows.isEmpty()) {
      Counters c = of(queue);
      for (MessageTable.Row row : rows) {
        c.removed(row.message(), row.state() == Schema.HELD);
        expired.add(row.message());
        changed(queue, row.message());
      }
      refreshGroups();
    }
    return expired;
  }

  Integer releaseHeld(SqliteQueueStore queue, long now) throws SQLException {
    Counters c = of(queue);
    if (c.held == 0) {
      return 0;
    }
    List<MessageTable.Row> rows = table.oldestHeld(queue.id, Integer.MAX_VALUE);
    c.held = 0;
    if (!queue.fifo) {
      table.deleteKeys(rows);
      List<StoredMessage> released = new ArrayList<>(rows.size());
      for (MessageTable.Row row : rows) {
        released.add(row.message().with(now, row.message().attempts()));
      }
      packets().insert(queue, released);
      return rows.size();
    }
    for (MessageTable.Row row : rows) {
      // a FIFO dead letter keeps its key: its place in its group, before later arrivals
      table.addRelease(row.key(), now);
      changed(queue, row.message());
    }
    table.flushReleases();
    refreshGroups();
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
    Counters c = of(queue);
    long before = c.count;
    table.purge(queue.id); // a FIFO queue's messages not claimed, or held dead letters
    long[] claimed;
    if (queue.fifo) {
      db.fifo().removeHeads(queue.id); // nothing of it waits: no group may be claimed
      claimed = table.claimedTotals(queue.id);
    } else {
      claimed = packets().purge(queue);
    }
    long purged = before - claimed[0];
    if (purged > 0) {
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
    writeAdds();
    if (touched.isEmpty()) {
      return;
    }
    for (Map.Entry<SqliteQueueStore, Counters> e : touched.entrySet()) {
      Counters c = e.getValue();
      if (c.removed) {
        c.oldest = c.count == 0 ? -1 : db.oldest(e.getKey().id);
      }
      table.addCounters(e.getKey().id, c.count, c.bytes, c.held);
    }
    table.flushCounters();
  }

  /** After a rollback: takes back the changes to the queues' in-flight state, newest first. */
  void undo() {
    for (int i = undo.size() - 1; i >= 0; i--) {
      undo.get(i).run();
    }
    undo.clear();
    remembered.clear();
  }

  /** After the commit: makes the new counters every queue's own. */
  void publish() {
    for (Map.Entry<SqliteQueueStore, Counters> e : touched.entrySet()) {
      Counters c = e.getValue();
      e.getKey().commit(new SqliteQueueStore.Committed(c.count, c.bytes, c.held, c.oldest));
    }
  }
}
