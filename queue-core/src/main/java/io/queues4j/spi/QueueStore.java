package io.queues4j.spi;

import io.queues4j.QueueMetrics;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The storage of one queue. Every method that returns a {@link CompletionStage} may complete it on
 * a thread of the store's own, which then runs engine code and user code (listeners, the
 * dependent actions of a send's future), so it must not be a thread the store needs to stay
 * responsive; it may also complete it before returning. A failed operation completes its stage
 * exceptionally (preferably with a {@link StoreException}) and changes nothing.
 *
 * <p>A message is in one of four states: <em>ready</em> or <em>delayed</em> (waiting: visible at
 * or before, or after, the time given to {@link #claim}), <em>claimed</em> (delivered, awaiting
 * its settlement) or <em>held</em> (a dead letter of a queue without a consumer, see {@link
 * Settlement.MoveTo}). Every message not yet removed counts in {@link #metrics()}.
 */
public interface QueueStore {

  /**
   * Returns the queue's name.
   *
   * @return the name
   */
  String name();

  /**
   * Adds messages, all or none; ready or delayed according to each one's {@code visibleAt}. When
   * the stage completes normally the messages are stored as durably as the store promises (for a
   * durable store: on disk, or committed).
   *
   * @param messages 1 or more messages with 0 attempts, in send order
   * @return a stage that completes once they are stored
   */
  CompletionStage<Void> add(List<StoredMessage> messages);

  /**
   * Claims up to {@code max} messages that are ready at {@code now}, in the order they became
   * visible (then in send order), adding one to each one's attempts. A shared store also claims
   * messages whose claim's lease ended before {@code now}.
   *
   * @param max the most messages to claim, 1 or more
   * @param now the engine's time, epoch milliseconds
   * @param leaseUntil until when the claim is exclusive
   * @return the claims and when the next remaining message becomes visible
   */
  CompletionStage<ClaimResult> claim(int max, long now, long leaseUntil);

  /**
   * Applies settlements of claimed messages of this queue, all in one atomic step (one
   * transaction, one fsync). Dead-letter moves ({@link Settlement.MoveTo}) change their target
   * queue in the same step.
   *
   * @param settlements 1 or more, each for a distinct claim of this queue
   * @return a stage that completes once they are applied, with the claims that were stale and the
   *     dead letters evicted to make room
   */
  CompletionStage<SettleResult> settle(List<Settlement> settlements);

  /**
   * Removes up to {@code max} messages that were sent before {@code sentBefore} and are not
   * claimed (ready, delayed or held): they outlived the queue's retention period.
   *
   * @param sentBefore the cutoff, epoch milliseconds
   * @param max the most messages to remove in this call
   * @return the removed messages, oldest first
   */
  CompletionStage<List<StoredMessage>> expire(long sentBefore, int max);

  /**
   * Makes every held dead letter ready, visible at {@code now}: a consumer was attached.
   *
   * @param now the engine's time
   * @return the number of messages released
   */
  CompletionStage<Integer> releaseHeld(long now);

  /**
   * Returns the held dead letters, oldest first, removing them if {@code remove}.
   *
   * @param remove whether to remove them
   * @return the held dead letters
   */
  CompletionStage<List<StoredMessage>> held(boolean remove);

  /**
   * Removes every message that is not claimed.
   *
   * @return the number removed
   */
  CompletionStage<Long> purge();

  /**
   * Tells whether this store keeps FIFO queues (names ending in {@code .fifo}): then it implements
   * {@link #addDeduplicated} and {@link #claimGroup}. The engine refuses to declare a FIFO queue on
   * a store that does not.
   *
   * @return whether FIFO queues are supported
   */
  default boolean supportsFifo() {
    return false;
  }

  /**
   * Adds messages of a FIFO queue, all or none, except duplicates: a message whose group and
   * {@link StoredMessage#dedupeKey()} equal those of a message added to this queue within {@code
   * windowMillis} before {@code now} (whether or not that one was since delivered, deleted or
   * moved) is not stored. The record of a message's key must outlive the message for the whole
   * window, and a durable or shared store must keep it across restarts and engines.
   *
   * @param messages 1 or more messages, each with a group and a deduplication key, in send order
   * @param now the engine's time
   * @param windowMillis the deduplication window
   * @return for each message, in order, the id it is stored under: its own, or, for a duplicate,
   *     the original's
   */
  default CompletionStage<List<String>> addDeduplicated(
      List<StoredMessage> messages, long now, long windowMillis) {
    return CompletableFuture.failedStage(
        new StoreException(this + " does not support FIFO queues", null));
  }

  /**
   * Claims messages of one group of a FIFO queue, in order: the group whose first waiting message
   * became visible first, among the groups that have no claimed message, and, after that first
   * message, the messages that follow it in the group while they are ready, up to {@code max}. A
   * group's messages are claimed in send order, and the next only once the previous one is settled;
   * a retried message stays first in its group, which waits for it. Keys ({@link Claim#key()}) of a
   * FIFO queue increase in send order: the engine shows them as sequence numbers.
   *
   * @param max the most messages to claim, 1 or more
   * @param now the engine's time
   * @param leaseUntil until when the claim is exclusive
   * @return the claims, all of one group, and when the next waiting message of a group without
   *     claims becomes visible
   */
  default CompletionStage<ClaimResult> claimGroup(int max, long now, long leaseUntil) {
    return CompletableFuture.failedStage(
        new StoreException(this + " does not support FIFO queues", null));
  }

  /**
   * Claims the runs of up to {@code maxGroups} groups of a FIFO queue in one step: as that many
   * {@link #claimGroup} calls in a row would, each taking up to {@code maxPerGroup} messages. The
   * engine asks for as many groups as it has free delivery slots, so that with many groups of few
   * messages each, one store call starts several batches.
   *
   * <p>The default makes one {@link #claimGroup} call, which is correct (it claims one group); a
   * store implements this when it can claim several groups for about the price of one.
   *
   * @param maxGroups the most groups to claim, 1 or more
   * @param maxPerGroup the most messages to claim of each group, 1 or more
   * @param now the engine's time
   * @param leaseUntil until when the claims are exclusive
   * @return the claims, each group's run in order and together, the groups in the order {@link
   *     #claimGroup} would have claimed them, and when the next waiting message of a group without
   *     claims becomes visible
   */
  default CompletionStage<ClaimResult> claimGroups(
      int maxGroups, int maxPerGroup, long now, long leaseUntil) {
    return claimGroup(maxPerGroup, now, leaseUntil);
  }

  /**
   * Registers the engine's wake-up for messages that became ready without this engine's doing: a
   * store shared by several engines calls {@code mayHaveReady} when another engine added or
   * returned messages (a notification, or a poll that found some); the engine then claims. A store
   * used by one engine never needs to call it (the default does nothing with it). Call it from any
   * thread but not while holding a lock of the store's that its operations need: the engine may
   * call the store from inside it.
   *
   * @param mayHaveReady what to run; cheap and thread-safe
   */
  default void subscribe(Runnable mayHaveReady) {}

  /**
   * Returns the queue's backlog. Must not block: the engine may call it under its locks, on every
   * send. A store shared by several engines may return a recent cached value.
   *
   * @return count and bytes of every message not removed, and the oldest one's send time
   */
  QueueMetrics metrics();
}
