package io.queues4j;

import static java.util.Objects.requireNonNull;

/**
 * The result of a successful {@code send} or {@code sendBatch}; mirrors Cloudflare's {@code
 * QueueSendResult}. Value-based.
 *
 * @param metadata the queue's metrics just after the messages were accepted
 */
public record QueueSendResult(QueueMetadata metadata) {
  /**
   * Validates the result.
   *
   * @param metadata see the record description
   * @throws NullPointerException if {@code metadata} is {@code null}
   */
  public QueueSendResult {
    requireNonNull(metadata, "metadata");
  }
}
