package io.queues4j;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * Options of {@link Message#retry(QueueRetryOptions)} and {@link
 * MessageBatch#retryAll(QueueRetryOptions)}; mirrors Cloudflare's {@code QueueRetryOptions}.
 * Value-based.
 *
 * @param delaySeconds seconds before the retried message may be delivered again, in [0, 86400].
 *     An explicit value, {@code 0} included, wins over the consumer's {@code retryDelay}; empty
 *     means the consumer's {@code retryDelay} applies
 */
public record QueueRetryOptions(OptionalInt delaySeconds) {
  /** No explicit delay: the consumer's {@code retryDelay} applies. */
  public static final QueueRetryOptions DEFAULT = new QueueRetryOptions(OptionalInt.empty());

  /**
   * Validates the options.
   *
   * @param delaySeconds see the record description
   * @throws NullPointerException if {@code delaySeconds} is {@code null}
   * @throws IllegalArgumentException if {@code delaySeconds} is outside [0, 86400]
   */
  public QueueRetryOptions {
    requireNonNull(delaySeconds, "delaySeconds");
    delaySeconds.ifPresent(d -> Delays.check("delaySeconds", d));
  }

  /**
   * Options with an explicit retry delay.
   *
   * @param delaySeconds seconds before redelivery, in [0, 86400]; {@code 0} retries at once
   * @return the options
   * @throws IllegalArgumentException if {@code delaySeconds} is outside [0, 86400]
   */
  public static QueueRetryOptions delaySeconds(int delaySeconds) {
    return new QueueRetryOptions(OptionalInt.of(delaySeconds));
  }

  /**
   * Options with an exponential backoff delay, {@code base^attempts} seconds, capped at the 86,400
   * second limit; the documented Cloudflare pattern {@code retry({delaySeconds: base ** attempts})}
   * without its overflow.
   *
   * @param base the base of the exponent, at least 1
   * @param attempts the message's {@link Message#attempts()}, at least 0
   * @return the options
   * @throws IllegalArgumentException if {@code base < 1} or {@code attempts < 0}
   */
  public static QueueRetryOptions exponentialBackoff(int base, int attempts) {
    if (base < 1 || attempts < 0) {
      throw new IllegalArgumentException(
          "base must be >= 1 and attempts >= 0 but were " + base + " and " + attempts);
    }
    long delay = 1;
    for (int i = 0; i < attempts && delay < Delays.MAX_DELAY_SECONDS; i++) {
      delay *= base;
    }
    return delaySeconds((int) Math.min(delay, Delays.MAX_DELAY_SECONDS));
  }
}
