package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What the engine does with one message after a delivery: {@link Acked}, {@link Retried} (after a
 * delay), {@link DeadLettered}, {@link Dropped}; {@link Expired} once it outlives its queue's
 * retention period; and, on a dead-letter queue with no consumer, {@link Evicted}. Value-based: compare with {@code equals}, e.g. {@code
 * outcome.equals(MessageOutcome.retried(Duration.ofSeconds(30)))}.
 */
public sealed interface MessageOutcome
    permits MessageOutcome.Acked,
        MessageOutcome.Retried,
        MessageOutcome.DeadLettered,
        MessageOutcome.Dropped,
        MessageOutcome.Expired,
        MessageOutcome.Evicted {

  /**
   * The message was acknowledged and removed.
   *
   * @return the outcome
   */
  static MessageOutcome acked() {
    return new Acked();
  }

  /**
   * The message will be delivered again once {@code delay} has passed.
   *
   * @param delay the retry delay that applied
   * @return the outcome
   */
  static MessageOutcome retried(Duration delay) {
    return new Retried(delay);
  }

  /**
   * The message had its last failed delivery and moved to {@code deadLetterQueue}.
   *
   * @param deadLetterQueue where it went
   * @return the outcome
   */
  static MessageOutcome deadLettered(String deadLetterQueue) {
    return new DeadLettered(deadLetterQueue);
  }

  /**
   * The message had its last failed delivery and was deleted: the consumer has no dead-letter
   * queue.
   *
   * @return the outcome
   */
  static MessageOutcome dropped() {
    return new Dropped();
  }

  /**
   * A dead letter held by a queue with no consumer was evicted to make room for newer ones.
   *
   * @return the outcome
   */
  static MessageOutcome evicted() {
    return new Evicted();
  }

  /**
   * The message outlived its queue's retention period and was removed, delivered or not.
   *
   * @return the outcome
   */
  static MessageOutcome expired() {
    return new Expired();
  }

  /** Acknowledged and removed. */
  record Acked() implements MessageOutcome {}

  /**
   * Requeued; delivered again after {@code delay}.
   *
   * @param delay the retry delay that applied: the explicit one of {@code retry}/{@code
   *     retryAll}, else the consumer's {@code retryDelay}
   */
  record Retried(Duration delay) implements MessageOutcome {
    /**
     * Validates the outcome.
     *
     * @param delay see the record description
     * @throws NullPointerException if {@code delay} is {@code null}
     */
    public Retried {
      requireNonNull(delay, "delay");
    }
  }

  /**
   * Moved to a dead-letter queue; its story continues there with attempts starting again at 1.
   *
   * @param deadLetterQueue the dead-letter queue's name
   */
  record DeadLettered(String deadLetterQueue) implements MessageOutcome {
    /**
     * Validates the outcome.
     *
     * @param deadLetterQueue see the record description
     * @throws NullPointerException if {@code deadLetterQueue} is {@code null}
     */
    public DeadLettered {
      requireNonNull(deadLetterQueue, "deadLetterQueue");
    }
  }

  /** Deleted after its last failed delivery, for want of a dead-letter queue. */
  record Dropped() implements MessageOutcome {}

  /** Evicted from a full ring of dead letters held by a queue with no consumer. */
  record Evicted() implements MessageOutcome {}

  /** Removed because it outlived its queue's retention period. */
  record Expired() implements MessageOutcome {}
}
