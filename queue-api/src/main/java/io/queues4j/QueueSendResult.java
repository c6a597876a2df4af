package io.queues4j;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The result of a successful {@code send} or {@code sendBatch}; mirrors Cloudflare's {@code
 * QueueSendResult}, plus the ids of the messages sent (a queues4j addition: Cloudflare returns none,
 * queue-run returns job ids). Value-based.
 *
 * @param metadata the queue's metrics just after the messages were accepted
 * @param messageIds the ids the messages were given, in send order (the ids consumers see); for a
 *     message a FIFO queue recognized as a duplicate, the id of the original
 * @param duplicateIds the ids among {@code messageIds} of messages that were duplicates of a message
 *     sent within the FIFO queue's deduplication window: accepted, not delivered again
 */
public record QueueSendResult(
    QueueMetadata metadata, List<String> messageIds, List<String> duplicateIds) {
  /**
   * Validates and copies the result.
   *
   * @param metadata see the record description
   * @param messageIds see the record description
   * @param duplicateIds see the record description
   * @throws NullPointerException if an argument is {@code null}
   */
  public QueueSendResult {
    requireNonNull(metadata, "metadata");
    messageIds = List.copyOf(messageIds);
    duplicateIds = List.copyOf(duplicateIds);
  }

  /**
   * A result without duplicates.
   *
   * @param metadata the queue's metrics just after the messages were accepted
   * @param messageIds the ids the messages were given, in send order
   */
  public QueueSendResult(QueueMetadata metadata, List<String> messageIds) {
    this(metadata, messageIds, List.of());
  }

  /**
   * Tells whether the (single) message sent was a duplicate, not stored again.
   *
   * @return whether {@link #duplicateIds()} is not empty
   */
  public boolean duplicate() {
    return !duplicateIds.isEmpty();
  }
}
