package io.queues4j;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One delivered message; mirrors Cloudflare's {@code Message<Body>}.
 *
 * <p><b>Acknowledgement:</b> {@link #ack()} and {@link #retry()} mark this message; the first call
 * wins, a later conflicting call is ignored with a warning, as is a call after a batch-level
 * {@link MessageBatch#ackAll()} or {@link MessageBatch#retryAll()} and a call after the invocation
 * has ended. An explicit mark takes precedence over the outcome of the handler: an acknowledged
 * message is not redelivered even if the handler then throws.
 *
 * <p><b>Thread-safety:</b> safe to use from any thread, for example from a {@code waitUntil} stage.
 *
 * @param <Body> the body type
 */
public interface Message<Body> {

  /**
   * Returns the message id, unique within its engine: 32 lowercase hexadecimal characters. A
   * message moved to a dead-letter queue keeps its id.
   *
   * @return the id
   */
  String id();

  /**
   * Returns when the message was sent.
   *
   * @return the send time
   */
  Instant timestamp();

  /**
   * Returns the body, decoded for this delivery into the consumer's body type.
   *
   * @return the body
   */
  Body body();

  /**
   * Returns how many times delivery of this message has been attempted, this delivery included: 1
   * on the first delivery.
   *
   * @return the attempt number, at least 1
   */
  int attempts();

  /**
   * Returns the message's group on a FIFO queue (queue-run's {@code groupId}).
   *
   * @return the group id, or empty on a standard queue
   */
  default Optional<String> groupId() {
    return Optional.empty();
  }

  /**
   * Returns the message's sequence number: strictly increasing in send order within its queue, so
   * within its group on a FIFO queue (queue-run's {@code sequenceNumber}).
   *
   * @return the sequence number, or empty where the implementation has none
   */
  default OptionalLong sequenceNumber() {
    return OptionalLong.empty();
  }

  /** Marks the message as successfully delivered, whatever the handler's outcome. */
  void ack();

  /** Marks the message to be retried after the consumer's {@code retryDelay}. */
  default void retry() {
    retry(QueueRetryOptions.DEFAULT);
  }

  /**
   * Marks the message to be retried; an explicit delay, {@code 0} included, wins over the
   * consumer's {@code retryDelay}. A message that has had {@code maxRetries + 1} deliveries goes to
   * the dead-letter queue instead, or is dropped if there is none.
   *
   * @param options the retry delay
   * @throws NullPointerException if {@code options} is {@code null}
   */
  void retry(QueueRetryOptions options);
}
