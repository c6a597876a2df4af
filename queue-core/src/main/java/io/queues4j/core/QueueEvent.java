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

  /**
   * A handler invocation ended and its batch was settled. Every message of the batch has had its
   * own outcome event ({@link Acked}, {@link Retried}, {@link DeadLettered}, {@link Dropped} or
   * {@link Expired}) reported before this one. Test code and metrics exporters use it as the
   * signal that a batch is finished.
   *
   * @param queue the queue
   * @param at when the batch was settled
   * @param messageIds the messages, in batch order
   * @param outcomes each message's outcome, in the same order
   * @param duration from dispatch to settlement, on the engine's clock
   * @param timedOut whether the handler timeout settled the batch; the handler may still be running
   *     (it keeps its concurrency slot until it returns)
   */
  record BatchSettled(
      String queue,
      Instant at,
      List<String> messageIds,
      List<Outcome> outcomes,
      Duration duration,
      boolean timedOut)
      implements QueueEvent {
    /**
     * Validates and copies the event.
     *
     * @param queue see the record description
     * @param at see the record description
     * @param messageIds see the record description
     * @param outcomes see the record description
     * @param duration see the record description
     * @param timedOut see the record description
     * @throws IllegalArgumentException if the two lists differ in size
     */
    public BatchSettled {
      requireNonNull(queue, "queue");
      requireNonNull(at, "at");
      messageIds = List.copyOf(messageIds);
      outcomes = List.copyOf(outcomes);
      requireNonNull(duration, "duration");
      if (messageIds.size() != outcomes.size()) {
        throw new IllegalArgumentException(
            "messageIds and outcomes must have the same size but had " + messageIds.size()
                + " and " + outcomes.size());
      }
    }
  }

  /** What became of one message of a settled batch. */
  enum Outcome {
    /** Acknowledged and removed. */
    ACKED,
    /** Returned to the queue for another delivery. */
    RETRIED,
    /** Moved to the consumer's dead-letter queue after its last delivery. */
    DEAD_LETTERED,
    /** Deleted after its last delivery, with no dead-letter queue. */
    DROPPED,
    /** Deleted because it outlived the queue's retention period. */
    EXPIRED
  }
}
