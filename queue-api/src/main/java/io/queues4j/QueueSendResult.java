package io.queues4j;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The result of a successful {@code send} or {@code sendBatch}; mirrors Cloudflare's {@code
 * QueueSendResult}, plus the ids of the messages sent (a queues4j addition: Cloudflare returns none,
 * queue-run returns job ids). Value-based.
 *
 * @param metadata the queue's metrics just after the messages were accepted
 * @param messageIds the ids the messages were given, in send order (the ids consumers see)
 */
public record QueueSendResult(QueueMetadata metadata, List<String> messageIds) {
  /**
   * Validates and copies the result.
   *
   * @param metadata see the record description
   * @param messageIds see the record description
   * @throws NullPointerException if an argument is {@code null}
   */
  public QueueSendResult {
    requireNonNull(metadata, "metadata");
    messageIds = List.copyOf(messageIds);
  }
}
