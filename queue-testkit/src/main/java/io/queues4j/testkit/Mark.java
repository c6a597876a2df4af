package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueRetryOptions;

/**
 * How a handler marked a message ({@code ack()}, {@code retry(options)}) or a batch ({@code
 * ackAll()}, {@code retryAll(options)}), as reported by {@link BatchRunner}. Only the first
 * effective call counts. Value-based.
 */
public sealed interface Mark permits Mark.Ack, Mark.Retry {

  /**
   * The mark of {@code ack()} or {@code ackAll()}.
   *
   * @return the mark
   */
  static Mark ack() {
    return new Ack();
  }

  /**
   * The mark of {@code retry()} or {@code retryAll()} with no explicit delay.
   *
   * @return the mark
   */
  static Mark retry() {
    return new Retry(QueueRetryOptions.DEFAULT);
  }

  /**
   * The mark of {@code retry}/{@code retryAll} with an explicit delay.
   *
   * @param delaySeconds the delay, in [0, 86400]
   * @return the mark
   * @throws IllegalArgumentException if {@code delaySeconds} is outside [0, 86400]
   */
  static Mark retry(int delaySeconds) {
    return new Retry(QueueRetryOptions.delaySeconds(delaySeconds));
  }

  /** Acknowledged. */
  record Ack() implements Mark {}

  /**
   * Marked for retry.
   *
   * @param options the options passed; an empty delay means the consumer's {@code retryDelay}
   */
  record Retry(QueueRetryOptions options) implements Mark {
    /**
     * Validates the mark.
     *
     * @param options see the record description
     * @throws NullPointerException if {@code options} is {@code null}
     */
    public Retry {
      requireNonNull(options, "options");
    }
  }
}
