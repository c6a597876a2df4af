package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueSendOptions;
import java.time.Instant;

/**
 * One message accepted by a queue, as recorded by a {@link QueueTestKit} or {@link FakeQueue}.
 * Value-based.
 *
 * @param queue the queue it was sent to
 * @param messageId the id the engine gave it
 * @param body the body exactly as the producer passed it (the same object, not a decoded copy)
 * @param options its effective options: for a message of a {@code sendBatch}, its own content type
 *     and its own delay, else the batch's delay
 * @param at when it was sent, on the harness clock
 * @param visibleAt when it becomes deliverable: later than {@code at} if delayed
 * @param bytes its encoded size, which the size limits measure
 * @param call the number of the {@code send} or {@code sendBatch} call that sent it, counting from
 *     1; the messages of one {@code sendBatch} share it
 */
public record RecordedSend(
    String queue,
    String messageId,
    Object body,
    QueueSendOptions options,
    Instant at,
    Instant visibleAt,
    int bytes,
    long call) {

  /**
   * Validates the record.
   *
   * @param queue see the record description
   * @param messageId see the record description
   * @param body see the record description
   * @param options see the record description
   * @param at see the record description
   * @param visibleAt see the record description
   * @param bytes see the record description
   * @param call see the record description
   * @throws NullPointerException if a reference is {@code null}
   */
  public RecordedSend {
    requireNonNull(queue, "queue");
    requireNonNull(messageId, "messageId");
    requireNonNull(body, "body");
    requireNonNull(options, "options");
    requireNonNull(at, "at");
    requireNonNull(visibleAt, "visibleAt");
  }

  /**
   * Returns the body cast to {@code type}.
   *
   * @param type the body's class
   * @param <T> the body type
   * @return the body
   * @throws ClassCastException if the body is not a {@code T}
   */
  public <T> T body(Class<T> type) {
    return type.cast(body);
  }
}
