package io.queues4j;

import java.util.List;

/**
 * A batch of messages delivered to a consumer; mirrors Cloudflare's {@code MessageBatch<Body>}.
 *
 * <p>When the handler returns normally and every {@link QueueContext#waitUntil} stage has
 * completed, every message not explicitly marked is acknowledged. When the handler throws, a stage
 * fails, or the handler times out, every message not explicitly acknowledged is retried.
 *
 * <p><b>Thread-safety:</b> safe to use from any thread.
 *
 * @param <Body> the body type
 */
public interface MessageBatch<Body> {

  /**
   * Returns the name of the queue the messages come from.
   *
   * @return the queue name
   */
  String queue();

  /**
   * Returns the messages, in the order they became available (best effort).
   *
   * @return an unmodifiable list of 1 to {@code maxBatchSize} messages
   */
  List<Message<Body>> messages();

  /**
   * Returns the queue's metrics when the batch was delivered.
   *
   * @return the metadata
   */
  QueueMetadata metadata();

  /**
   * Marks every message not already explicitly marked as successfully delivered, whatever the
   * handler's outcome. After this, {@link #retryAll()} and per-message calls are ignored with a
   * warning.
   */
  void ackAll();

  /** Marks every message not already explicitly marked for retry after the consumer's delay. */
  default void retryAll() {
    retryAll(QueueRetryOptions.DEFAULT);
  }

  /**
   * Marks every message not already explicitly marked for retry. After this, {@link #ackAll()} and
   * per-message calls are ignored with a warning.
   *
   * @param options the retry delay; an explicit delay wins over the consumer's {@code retryDelay}
   * @throws NullPointerException if {@code options} is {@code null}
   */
  void retryAll(QueueRetryOptions options);
}
