package io.queues4j.sqlite;

import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps of a {@link Transaction} on standard queues' waiting and claimed messages, which live
 * in {@link Packet}s, their delivery state in each queue's {@link InFlight}. Every change to that
 * state is registered with the transaction, which undoes it if it rolls back. Writer-confined.
 */
final class PacketSteps {
  private final Transaction tx;
  private final Database db;
  private final PacketTable table;

  PacketSteps(Transaction tx, Database db) {
    this.tx = tx;
    this.db = db;
    this.table = db.packets();
  }

  /**
   * Adds messages, waiting, each visible at its own {@code visibleAt} (raised to the cursor's):
   * in packets of up to {@link Packet#MAX} messages of the same visibility, in their order.
   */
  void insert(SqliteQueueStore queue, List<StoredMessage> messages) throws SQLException {
    InFlight flight = queue.inFlight;
    long first = flight.pastCursor(messages.get(0).visibleAt());
    boolean same = true;
    for (StoredMessage m : messages) {
      same &= flight.pastCursor(m.visibleAt()) == first;
    }
    if (same) {
      insertRun(queue, first, messages);
    } else {
      Map<Long, List<StoredMessage>> byVisibility = new LinkedHashMap<>();
      for (StoredMessage m : messages) {
        byVisibility.computeIfAbsent(flight.pastCursor(m.visibleAt()), v -> new ArrayList<>())
            .add(m);
      }
      for (Map.Entry<Long, List<StoredMessage>> e : byVisibility.entrySet()) {
        insertRun(queue, e.getKey(), e.getValue());
      }
    }
    table.flushInserts();
  }

  private void insertRun(SqliteQueueStore queue, long visibleAt, List<StoredMessage> messages)
      throws SQLException {
    for (int from = 0; from < messages.size(); from += Packet.MAX) {
      table.addInsert(db.nextKey(), queue.id, visibleAt, messages, from,
          Math.min(messages.size(), from + Packet.MAX));
    }
  }

  /**
   * Claims the queue's next ready messages: the rest of the cursor's packet, then packets read
   * past the cursor. Records the claim for recovery; writes nothing to the packets.
   */
  ClaimResult claim(SqliteQueueStore queue, int max, long now) throws SQLException {
    InFlight flight = queue.inFlight;
    List<Packet> from = new ArrayList<>(2);
    int found = 0;
    Packet partly = flight.partlyClaimed();
    if (partly != null) {
      if (partly.visibleAt > now) { // claimed at a later time than this claim's: it goes first
        return new ClaimResult(List.of(), partly.visibleAt);
      }
      from.add(partly);
      found = partly.open() - claimedOpen(partly);
    }
    List<Packet> read = found >= max
        ? List.of() : table.ready(queue.id, flight.cursor, now, max - found);
    from.addAll(read);
    if (from.isEmpty()) {
      return new ClaimResult(List.of(), table.nextVisible(queue.id, flight.cursor));
    }
    long lease = db.nextLease();
    List<Claim> claims = new ArrayList<>(Math.min(max, found + read.size() * Packet.MAX));
    int[] ends = new int[from.size()];
    for (int p = 0; p < from.size() && claims.size() < max; p++) {
      Packet packet = from.get(p);
      int i = packet.claimed;
      for (; i < packet.size() && claims.size() < max; i++) {
        if (!packet.settled(i)) {
          StoredMessage m = packet.messages[i];
          claims.add(new Claim(m.with(packet.visibleAt, m.attempts() + 1),
              Packet.claimKey(packet.key, i), lease));
        }
      }
      ends[p] = i;
    }
    long[] keys = new long[claims.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = claims.get(i).key();
    }
    table.recordClaim(lease, queue.id, keys); // before any change in memory
    InFlight.Batch batch = new InFlight.Batch(lease, keys.length);
    InFlight.Cursor before = flight.cursor;
    tx.onUndo(() -> flight.cursor = before);
    Packet last = from.get(0);
    for (int p = 0; p < from.size() && ends[p] > 0; p++) {
      Packet packet = from.get(p);
      if (packet == partly) {
        tx.remember(packet);
      } else {
        flight.put(packet);
        tx.onUndo(() -> flight.remove(packet));
      }
      for (int i = packet.claimed; i < ends[p]; i++) {
        if (!packet.settled(i)) {
          packet.batches[i] = batch;
        }
      }
      packet.claimed = ends[p];
      last = packet;
    }
    flight.cursor = new InFlight.Cursor(last.visibleAt, last.key);
    long next = last.unclaimed() ? last.visibleAt : table.nextVisible(queue.id, flight.cursor);
    return new ClaimResult(claims, next);
  }

  /** How many of a packet's claimed messages are in flight. */
  private static int claimedOpen(Packet p) {
    int n = 0;
    for (int i = 0; i < p.claimed; i++) {
      n += p.batches[i] != null ? 1 : 0;
    }
    return n;
  }

  /**
   * Settles claims of a standard queue: each must be in flight under its lease, else it is stale.
   * A retried message goes back waiting in a new packet past the cursor, the delivery counted (or
   * not, for a claim given back); a claim whose last message is settled loses its record.
   *
   * @return the removed messages' settlements (deletes and moves), in order
   */
  List<Settlement> settle(SqliteQueueStore queue, List<Settlement> settlements, List<Claim> stale)
      throws SQLException {
    InFlight flight = queue.inFlight;
    List<Settlement> removed = new ArrayList<>(settlements.size());
    List<StoredMessage> retried = new ArrayList<>(0);
    Set<Packet> changed = new LinkedHashSet<>();
    for (Settlement s : settlements) {
      Claim claim = s.claim();
      Packet p = flight.packet(Packet.packetKey(claim.key()));
      int index = Packet.index(claim.key());
      InFlight.Batch batch = p == null || index >= p.size() ? null : p.batches[index];
      if (p == null || batch == null || batch.lease != claim.lease()) {
        stale.add(claim);
        continue;
      }
      tx.remember(p);
      tx.remember(batch);
      p.settle(index);
      changed.add(p);
      if (--batch.open == 0) {
        table.dropClaim(batch.lease);
      }
      StoredMessage m = claim.message();
      if (s instanceof Settlement.Retry retry) {
        retried.add(m.with(retry.visibleAt(), m.attempts() - (retry.countAttempt() ? 0 : 1)));
      } else {
        removed.add(s);
      }
    }
    write(flight, changed);
    if (!retried.isEmpty()) {
      insert(queue, retried);
    }
    return removed;
  }

  /** Writes the packets changed: deletes those settled whole, forgetting them. */
  private void write(InFlight flight, Iterable<Packet> changed) throws SQLException {
    boolean any = false;
    for (Packet p : changed) {
      table.addChange(p);
      any = true;
      if (p.open() == 0 && flight.packet(p.key) == p) {
        flight.remove(p);
        tx.onUndo(() -> flight.put(p));
      }
    }
    if (any) {
      table.flushChanges();
    }
  }

  /** A waiting message of a packet that an expiry may take. */
  private record Candidate(Packet packet, int index) {
    long timestamp() {
      return packet.messages[index].timestamp();
    }
  }

  /**
   * Removes up to {@code max} waiting messages sent before {@code sentBefore}, oldest first
   * (between packets, by their oldest message); {@code held} are the held dead letters that may
   * go too, already read, oldest first. Deletes the held ones it takes.
   */
  List<StoredMessage> expire(SqliteQueueStore queue, long sentBefore, int max,
      List<MessageTable.Row> held) throws SQLException {
    InFlight flight = queue.inFlight;
    List<Candidate> candidates = new ArrayList<>();
    table.expirable(queue.id, sentBefore, flight.cursor, max, read -> {
      Packet known = flight.packet(read.key); // the cursor's: claims took part of it
      Packet p = known != null ? known : read;
      int found = 0;
      for (int i = p.claimed; i < p.size(); i++) {
        if (!p.settled(i) && p.messages[i].timestamp() < sentBefore) {
          candidates.add(new Candidate(p, i));
          found++;
        }
      }
      return found;
    });
    candidates.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
    List<StoredMessage> expired = new ArrayList<>(Math.min(max, held.size() + candidates.size()));
    List<MessageTable.Row> heldGone = new ArrayList<>(0);
    Set<Packet> changed = new LinkedHashSet<>();
    int h = 0;
    int c = 0;
    while (expired.size() < max && (h < held.size() || c < candidates.size())) {
      if (c == candidates.size() || (h < held.size()
          && held.get(h).message().timestamp() <= candidates.get(c).timestamp())) {
        MessageTable.Row row = held.get(h++);
        heldGone.add(row);
        tx.removed(queue, row.message(), true);
        expired.add(row.message());
      } else {
        Candidate next = candidates.get(c++);
        Packet p = next.packet();
        tx.remember(p);
        p.settle(next.index());
        changed.add(p);
        StoredMessage m = p.messages[next.index()];
        tx.removed(queue, m, false);
        expired.add(m);
      }
    }
    db.table().deleteKeys(heldGone);
    write(flight, changed);
    return expired;
  }

  /**
   * Removes every waiting message of the queue (packets past the cursor, the rest of the cursor's
   * packet); returns the count and bytes of the messages in flight, which stay.
   */
  long[] purge(SqliteQueueStore queue) throws SQLException {
    InFlight flight = queue.inFlight;
    table.purge(queue.id, flight.cursor);
    Packet partly = flight.partlyClaimed();
    if (partly != null) {
      tx.remember(partly);
      for (int i = partly.claimed; i < partly.size(); i++) {
        if (!partly.settled(i)) {
          partly.settle(i);
        }
      }
      partly.claimed = partly.size();
      write(flight, List.of(partly));
    }
    long count = 0;
    long bytes = 0;
    for (Packet p : flight.packets()) {
      for (int i = 0; i < p.size(); i++) {
        if (p.batches[i] != null) {
          count++;
          bytes += p.messages[i].size();
        }
      }
    }
    return new long[] {count, bytes};
  }
}
