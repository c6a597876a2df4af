package io.queues4j;

import static java.util.Objects.requireNonNull;

/**
 * The verdict of a {@link MessageHandler} on one message: {@link Ack} or {@link Retry}.
 * Value-based.
 */
public sealed interface QueueResult permits QueueResult.Ack, QueueResult.Retry {

  /**
   * Acknowledges the message: it is removed from the queue.
   *
   * @return the verdict
   */
  static QueueResult ack() {
    return Ack.INSTANCE;
  }

  /**
   * Retries the message after the consumer's {@code retryDelay}.
   *
   * @param reason why, for the log
   * @return the verdict
   * @throws NullPointerException if {@code reason} is {@code null}
   */
  static QueueResult retry(String reason) {
    return new Retry(reason, QueueRetryOptions.DEFAULT);
  }

  /**
   * Retries the message after an explicit delay.
   *
   * @param reason why, for the log
   * @param delaySeconds the delay in [0, 86400]; wins over the consumer's {@code retryDelay}
   * @return the verdict
   * @throws NullPointerException if {@code reason} is {@code null}
   * @throws IllegalArgumentException if {@code delaySeconds} is outside [0, 86400]
   */
  static QueueResult retry(String reason, int delaySeconds) {
    return new Retry(reason, QueueRetryOptions.delaySeconds(delaySeconds));
  }

  /** The message is acknowledged. */
  enum Ack implements QueueResult {
    /** The only instance. */
    INSTANCE
  }

  /**
   * The message is retried.
   *
   * @param reason why, for the log
   * @param options the retry delay
   */
  record Retry(String reason, QueueRetryOptions options) implements QueueResult {
    /**
     * Validates the verdict.
     *
     * @param reason see the record description
     * @param options see the record description
     * @throws NullPointerException if an argument is {@code null}
     */
    public Retry {
      requireNonNull(reason, "reason");
      requireNonNull(options, "options");
    }
  }
}
