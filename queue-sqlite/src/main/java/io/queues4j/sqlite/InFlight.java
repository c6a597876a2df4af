package io.queues4j.sqlite;

import java.util.Collection;
import java.util.HashMap;
import org.jspecify.annotations.Nullable;

/**
 * A standard queue's delivery state, kept in memory instead of in its rows: a claim reads the next
 * ready {@link Packet}s and writes nothing to them, which saves rewriting each one. What makes
 * that sound:
 *
 * <ul>
 *   <li>The <b>cursor</b>, the (visible_at, key) of the last packet claimed from. A claim takes
 *       the rest of that packet first, then reads only packets past it, in that order, so every
 *       message of a packet before it was claimed. Every packet added (a send, a retry, a
 *       released dead letter) gets a key above every key so far and a visible_at of at least the
 *       cursor's (raised to it if earlier, which only happens when a sender's clock read came
 *       before a concurrent claim's, and changes nothing: both are due), so it lands past the
 *       cursor.
 *   <li>The <b>packets</b> claimed from and not yet settled, with the claim each message is in
 *       flight under: a settlement is checked against them, and the packet's row is updated (its
 *       settled bits) or deleted in the settlement's transaction.
 *   <li>The <b>claims table</b>: one row per claim, listing its claim keys, in the claim's
 *       transaction, and deleted with the last settlement of the claim. When the store opens,
 *       every listed message that is still there and not settled counts one attempt more: those
 *       deliveries were under way when the process stopped.
 * </ul>
 *
 * <p>Writer-confined. Changes made by a transaction that rolls back are undone by its undo log.
 */
final class InFlight {
  /** A claim: its lease and how many of its messages are not settled yet. */
  static final class Batch {
    final long lease;
    int open;

    Batch(long lease, int open) {
      this.lease = lease;
      this.open = open;
    }
  }

  /**
   * The (visible_at, key) of the packet last claimed from: packets before it are all claimed.
   *
   * @param visibleAt the packet's visible_at
   * @param key the packet's key
   */
  record Cursor(long visibleAt, long key) {
    /** Before every row. */
    static final Cursor NONE = new Cursor(Long.MIN_VALUE, Long.MIN_VALUE);
  }

  Cursor cursor = Cursor.NONE;
  private final HashMap<Long, Packet> packets = new HashMap<>();

  /** The packet of {@code key} being delivered, or {@code null}. */
  @Nullable Packet packet(long key) {
    return packets.get(key);
  }

  /** The cursor's packet if a message of it is left to claim, else {@code null}. */
  @Nullable Packet partlyClaimed() {
    Packet p = packets.get(cursor.key());
    return p != null && p.unclaimed() ? p : null;
  }

  void put(Packet p) {
    packets.put(p.key, p);
  }

  void remove(Packet p) {
    packets.remove(p.key);
  }

  /** The packets being delivered. */
  Collection<Packet> packets() {
    return packets.values();
  }

  /** {@code visibleAt}, raised to the cursor's if earlier: where a packet being added goes. */
  long pastCursor(long visibleAt) {
    return Math.max(visibleAt, cursor.visibleAt());
  }
}
