package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What happened to messages, as reported to a {@link QueueListener}: one event per message for
 * sends and outcomes, one per batch for deliveries and failures. Value-based.
 *
 * <p>Every message sent ends with exactly one of {@link Acked}, {@link DeadLettered} (then its
 * story continues on the dead-letter queue), {@link Dropped}, {@link Expired} or {@link
 * DeadLetterEvicted}, unless it is still queued or drained with {@link
 * QueueEngine#drainDeadLetters}.
 */
public sealed interface QueueEvent {

  /**
   * Returns the queue the event happened on.
   *
   * @return the queue name
   */
  String queue();

  /**
   * Returns when it happened, on the engine's clock.
   *
   * @return the instant
   */
  Instant at();

  /**
   * A message was accepted from a producer.
   *
   * @param queue the queue
   * @param at when
   * @param messageId the new message's id
   * @param contentType its content type
   * @param bytes its encoded size
   * @param visibleAt when it becomes deliverable (later than {@code at} if delayed)
   */
  record Sent(
      String queue,
      Instant at,
      String messageId,
      QueueContentType contentType,
      int bytes,
      Instant visibleAt)
      implements QueueEvent {
    /**
     * Validates the event.
     *
     * @param queue see the record description
     * @param at see the record description
     * @param messageId see the record description
     * @param contentType see the record description
     * @param bytes see the record description
     * @param visibleAt see the record description
     */
    public Sent {
      requireNonNull(queue, "queue");
      requireNonNull(at, "at");
      requireNonNull(messageId, "messageId");
      requireNonNull(contentType, "contentType");
      requireNonNull(visibleAt, "visibleAt");
    }
  }

  /**
   * A batch was handed to the consumer.
   *
   * @param queue the queue
   * @param at when
   * @param messageIds the messages, in batch order
   * @param attempts each message's attempt number, in the same order
   */
  record Delivered(String queue, Instant at, List<String> messageIds, List<Integer> attempts)
      implements QueueEvent {
    /**
     * Validates and copies the event.
     *
     * @param queue see the record description
     * @param at see the record description
     * @param messageIds see the record description
     * @param attempts see the record description
     */
    public Delivered {
      requireNonNull(queue, "queue");
      requireNonNull(at, "at");
      messageIds = List.copyOf(messageIds);
      attempts = List.copyOf(attempts);
    }
  }

  /**
   * An invocation failed: the handler threw, a {@code waitUntil} stage failed, it timed out (the
   * cause is a {@link java.util.concurrent.TimeoutException}), or a body could not be decoded.
   *
   * @param queue the queue
   * @param at when
   * @param messageIds the messages concerned
   * @param cause what went wrong
   */
  record Failed(String queue, Instant at, List<String> messageIds, Throwable cause)
      implements QueueEvent {
    /**
     * Validates and copies the event.
     *
     * @param queue see the record description
     * @param at see the record description
     * @param messageIds see the record description
     * @param cause see the record description
     */
    public Failed {
      requireNonNull(queue, "queue");
      requireNonNull(at, "at");
      messageIds = List.copyOf(messageIds);
      requireNonNull(cause, "cause");
    }
  }

  /**
   * A message was acknowledged and removed.
   *
   * @param queue the queue
   * @param at when
   * @param messageId the message
   * @param attempts deliveries it took
   */
  record Acked(String queue, Instant at, String messageId, int attempts) implements QueueEvent {
    /**
     * Validates the event.
     *
     * @param queue see the record description
     * @param at see the record description
     * @param messageId see the record description
     * @param attempts see the record description
     */
    public Acked {
      requireNonNull(queue, "queue");
      requireNonNull(at, "at");
      requireNonNull(messageId, "messageId");
    }
  }

  /**
   * A message will be delivered again after {@code delay}.
   *
   * @param queue the queue
   * @param at when
   * @param messageId the message
   * @param attempts deliveries so far
   * @param delay the retry delay that applied
   */
  record Retried(String queue, Instant at, String messageId, int attempts, Duration delay)
      implements QueueEvent {
    /**
     * Validates the event.
     *
     * @param queue see the record description
     * @param at see the record description
     * @param messageId see the record description
     * @param attempts see the record description
     * @param delay see the record description
     */
    public Retried {
      requireNonNull(queue, "queue");
      requireNonNull(at, "at");
      requireNonNull(messageId, "messageId");
      requireNonNull(delay, "delay");
    }
  }

  /**
   * A message had its last failed delivery and moved to the dead-letter queue.
   *
   * @param queue the queue it left
   * @param at when
   * @param messageId the message (it keeps its id)
   * @param attempts deliveries it had
   * @param deadLetterQueue where it went
   */
  record DeadLettered(
      String queue, Instant at, String messageId, int attempts, String deadLetterQueue)
      implements QueueEvent {
    /**
     * Validates the event.
     *
     * @param queue see the record description
     * @param at see the record description
     * @param messageId see the record description
     * @param attempts see the record description
     * @param deadLetterQueue see the record description
     */
    public DeadLettered {
      requireNonNull(queue, "queue");
      requireNonNull(at, "at");
      requireNonNull(messageId, "messageId");
      requireNonNull(deadLetterQueue, "deadLetterQueue");
    }
  }

  /**
   * A message had its last failed delivery and was deleted: no dead-letter queue is set.
   *
   * @param queue the queue
   * @param at when
   * @param messageId the message
   * @param attempts deliveries it had
   */
  record Dropped(String queue, Instant at, String messageId, int attempts) implements QueueEvent {
    /**
     * Validates the event.
     *
     * @param queue see the record description
     * @param at see the record description
     * @param messageId see the record description
     * @param attempts see the record description
     */
    public Dropped {
      requireNonNull(queue, "queue");
      requireNonNull(at, "at");
      requireNonNull(messageId, "messageId");
    }
  }

  /**
   * A dead letter was evicted from a full ring of a queue with no consumer.
   *
   * @param queue the dead-letter queue
   * @param at when
   * @param messageId the evicted message
   */
  record DeadLetterEvicted(String queue, Instant at, String messageId) implements QueueEvent {
    /**
     * Validates the event.
     *
     * @param queue see the record description
     * @param at see the record description
     * @param messageId see the record description
     */
    public DeadLetterEvicted {
      requireNonNull(queue, "queue");
      requireNonNull(at, "at");
      requireNonNull(messageId, "messageId");
    }
  }

  /**
   * A message outlived its queue's retention period and was removed.
   *
   * @param queue the queue
   * @param at when
   * @param messageId the message
   * @param attempts deliveries it had
   */
  record Expired(String queue, Instant at, String messageId, int attempts) implements QueueEvent {
    /**
     * Validates the event.
     *
     * @param queue see the record description
     * @param at see the record description
     * @param messageId see the record description
     * @param attempts see the record description
     */
    public Expired {
      requireNonNull(queue, "queue");
      requireNonNull(at, "at");
      requireNonNull(messageId, "messageId");
    }
  }
}
