package io.queues4j;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * Options of {@link Queue#sendBatch(Iterable, QueueSendBatchOptions)}; mirrors Cloudflare's {@code
 * QueueSendBatchOptions}. Value-based.
 *
 * @param delaySeconds delay applied to every message of the batch that does not set its own, in
 *     [0, 86400]; empty means the queue's default delivery delay
 */
public record QueueSendBatchOptions(OptionalInt delaySeconds) {
  /** No batch-level delay. */
  public static final QueueSendBatchOptions DEFAULT = new QueueSendBatchOptions(OptionalInt.empty());

  /**
   * Validates the options.
   *
   * @param delaySeconds see the record description
   * @throws NullPointerException if {@code delaySeconds} is {@code null}
   * @throws IllegalArgumentException if {@code delaySeconds} is outside [0, 86400]
   */
  public QueueSendBatchOptions {
    requireNonNull(delaySeconds, "delaySeconds");
    delaySeconds.ifPresent(d -> Delays.check("delaySeconds", d));
  }

  /**
   * Options with a batch-level delay.
   *
   * @param delaySeconds seconds before the messages may be delivered, in [0, 86400]
   * @return the options
   * @throws IllegalArgumentException if {@code delaySeconds} is outside [0, 86400]
   */
  public static QueueSendBatchOptions delaySeconds(int delaySeconds) {
    return new QueueSendBatchOptions(OptionalInt.of(delaySeconds));
  }
}
