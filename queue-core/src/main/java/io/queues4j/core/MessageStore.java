package io.queues4j.core;

import io.queues4j.QueueMetrics;
import java.util.List;

/**
 * Where one queue's messages live: the seam between the engine's dispatch, batching and
 * acknowledgement logic (in {@link QueueRuntime}) and storage. The in-memory store is the only
 * implementation today; a durable journal or a database-backed store would implement this
 * interface without touching dispatch.
 *
 * <p>A message is in exactly one state: <em>delayed</em> (not yet visible), <em>ready</em>,
 * <em>claimed</em> (in flight to a consumer), or <em>held</em> as a dead letter of a queue with no
 * consumer. Every message not yet removed counts in {@link #metrics()}.
 *
 * <p>Implementations need not be thread-safe: the owning queue calls them under its lock, and
 * never calls user code from inside them.
 */
interface MessageStore {

  /** Accepts a message: ready if {@code visibleAt <= now}, else delayed. */
  void add(StoredMessage message, long now);

  /**
   * Makes delayed messages due at {@code now} ready, in due-time order, at most {@code max} of
   * them (the queue comes back for the rest, so no single call holds its lock for long).
   */
  void promoteDue(long now, int max);

  /** Returns the number of ready messages. */
  int readyCount();

  /** Returns when the first ready message became ready; only valid if {@link #readyCount} > 0. */
  long oldestReadyAt();

  /** Returns when the next delayed message is due, or {@link Long#MAX_VALUE} if none is. */
  long nextDueAt();

  /**
   * Claims up to {@code max} ready messages, oldest first, into {@code into}; each claimed
   * message's delivery count grows by one.
   */
  void claim(int max, List<StoredMessage> into);

  /** Returns a claimed message to the queue, ready at {@code visibleAt} (to the back if now). */
  void release(StoredMessage message, long visibleAt, long now);

  /** Removes a claimed message for good (acknowledged, dead-lettered or dropped). */
  void remove(StoredMessage message);

  /**
   * Holds a dead letter for inspection while the queue has no consumer, evicting the oldest held
   * one beyond {@code capacity}.
   *
   * @return the evicted message, or {@code null}
   */
  @org.jspecify.annotations.Nullable StoredMessage hold(StoredMessage message, int capacity);

  /** Returns the held dead letters, oldest first, without removing them. */
  List<StoredMessage> held();

  /** Removes and returns the held dead letters, oldest first. */
  List<StoredMessage> drainHeld();

  /** Makes every held dead letter ready (a consumer was attached). */
  void releaseHeld(long now);

  /**
   * Removes every message that is delayed, ready or held (not claimed) and was sent before {@code
   * cutoff}, adding it to {@code into}.
   */
  void removeExpired(long cutoff, List<StoredMessage> into);

  /**
   * Returns the send time of the oldest message not yet removed, or {@link Long#MAX_VALUE} if there
   * is none (0 is a valid send time: the epoch).
   */
  long oldestTimestamp();

  /** Returns the metrics of every message not yet removed. */
  QueueMetrics metrics();
}
