package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueMetrics;

/**
 * Counters of one queue since the engine started, with its current metrics: what an operator or a
 * test needs to account for every message. Value-based.
 *
 * <p>Every message sent or dead-lettered into a queue ends in exactly one of {@code acked}, {@code
 * deadLettered}, {@code dropped}, {@code expired}, {@code deadLettersEvicted}, a drained dead
 * letter, or the backlog.
 *
 * @param sent messages accepted from producers
 * @param deadLettersReceived messages moved here from queues that use this one as dead-letter queue
 * @param deliveries message deliveries to the consumer (a batch of 10 counts 10)
 * @param acked messages acknowledged
 * @param retried deliveries that ended in a retry
 * @param deadLettered messages moved to the dead-letter queue after their last delivery
 * @param dropped messages deleted after their last delivery because no dead-letter queue is set
 * @param deadLettersEvicted dead letters evicted from this queue's bounded ring
 * @param expired messages removed because they outlived the retention period
 * @param refusedSends sends refused for lack of backlog room (at once, or when their wait ended)
 * @param failedSends sends that failed because the store failed (nothing of them was stored)
 * @param deduplicated messages a FIFO queue accepted as duplicates within its deduplication window
 *     (not stored, not delivered again)
 * @param waitingSends sends currently waiting for backlog room
 * @param inFlightBatches invocations currently running
 * @param consumed whether a consumer is attached
 * @param maxBacklogBytes the queue's own byte limit ({@link Long#MAX_VALUE}: none)
 * @param maxBacklogMessages the queue's own message limit ({@link Long#MAX_VALUE}: none)
 * @param metrics the current backlog
 */
public record QueueStats(
    long sent,
    long deadLettersReceived,
    long deliveries,
    long acked,
    long retried,
    long deadLettered,
    long dropped,
    long deadLettersEvicted,
    long expired,
    long refusedSends,
    long failedSends,
    long deduplicated,
    int waitingSends,
    int inFlightBatches,
    boolean consumed,
    long maxBacklogBytes,
    long maxBacklogMessages,
    QueueMetrics metrics) {

  /**
   * Validates the stats.
   *
   * @param sent see the record description
   * @param deadLettersReceived see the record description
   * @param deliveries see the record description
   * @param acked see the record description
   * @param retried see the record description
   * @param deadLettered see the record description
   * @param dropped see the record description
   * @param deadLettersEvicted see the record description
   * @param expired see the record description
   * @param refusedSends see the record description
   * @param failedSends see the record description
   * @param deduplicated see the record description
   * @param waitingSends see the record description
   * @param inFlightBatches see the record description
   * @param consumed see the record description
   * @param maxBacklogBytes see the record description
   * @param maxBacklogMessages see the record description
   * @param metrics see the record description
   * @throws NullPointerException if {@code metrics} is {@code null}
   */
  public QueueStats {
    requireNonNull(metrics, "metrics");
  }

  /** The mutable counters behind a snapshot; guarded by the queue lock. */
  static final class Counters {
    long sent;
    long deadLettersReceived;
    long deliveries;
    long acked;
    long retried;
    long deadLettered;
    long dropped;
    long deadLettersEvicted;
    long expired;
    long refusedSends;
    long failedSends;
    long deduplicated;

    QueueStats snapshot(
        QueueMetrics metrics, int inFlight, boolean consumed, int waiting, QueueSettings settings) {
      return new QueueStats(
          sent,
          deadLettersReceived,
          deliveries,
          acked,
          retried,
          deadLettered,
          dropped,
          deadLettersEvicted,
          expired,
          refusedSends,
          failedSends,
          deduplicated,
          waiting,
          inFlight,
          consumed,
          settings.maxBacklogBytes(),
          settings.maxBacklogMessages(),
          metrics);
    }
  }
}
