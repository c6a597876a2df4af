package io.queues4j;

/**
 * Realtime metrics of a queue; mirrors Cloudflare's {@code QueueMetrics}. Value-based.
 *
 * <p>The backlog counts every message that is neither acknowledged, dead-lettered nor dropped:
 * messages waiting, delayed, in flight to a consumer, and dead letters held for inspection.
 *
 * @param backlogCount the number of messages in the queue
 * @param backlogBytes the total encoded size of their bodies, in bytes
 * @param oldestMessageTimestamp the send time of the oldest message, in epoch milliseconds; {@code
 *     0} when the queue is empty
 */
public record QueueMetrics(long backlogCount, long backlogBytes, long oldestMessageTimestamp) {
  /** The metrics of an empty queue. */
  public static final QueueMetrics EMPTY = new QueueMetrics(0, 0, 0);

  /**
   * Validates the metrics.
   *
   * @param backlogCount see the record description
   * @param backlogBytes see the record description
   * @param oldestMessageTimestamp see the record description
   * @throws IllegalArgumentException if a value is negative
   */
  public QueueMetrics {
    if (backlogCount < 0 || backlogBytes < 0 || oldestMessageTimestamp < 0) {
      throw new IllegalArgumentException(
          "metrics must not be negative but were count="
              + backlogCount
              + ", bytes="
              + backlogBytes
              + ", oldest="
              + oldestMessageTimestamp);
    }
  }
}
