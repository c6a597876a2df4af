package io.queues4j;

import static java.util.Objects.requireNonNull;

/**
 * Metadata attached to a send result and to a delivered batch; mirrors the {@code metadata} object
 * of Cloudflare's {@code QueueSendResult} and {@code MessageBatch}. Value-based.
 *
 * @param metrics the queue's metrics at that moment
 */
public record QueueMetadata(QueueMetrics metrics) {
  /**
   * Validates the metadata.
   *
   * @param metrics see the record description
   * @throws NullPointerException if {@code metrics} is {@code null}
   */
  public QueueMetadata {
    requireNonNull(metrics, "metrics");
  }
}
