package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A failed handler invocation, as recorded by a {@link QueueTestKit}: the handler threw, a {@code
 * waitUntil} stage failed, the handler timed out (the cause is a {@link
 * java.util.concurrent.TimeoutException}), or a body could not be decoded. Value-based, except that
 * the cause is compared by identity.
 *
 * @param queue the queue
 * @param at when, on the harness clock
 * @param messageIds the messages concerned
 * @param cause what went wrong
 */
public record RecordedFailure(String queue, Instant at, List<String> messageIds, Throwable cause) {

  /**
   * Validates and copies the record.
   *
   * @param queue see the record description
   * @param at see the record description
   * @param messageIds see the record description
   * @param cause see the record description
   * @throws NullPointerException if a reference or an element is {@code null}
   */
  public RecordedFailure {
    requireNonNull(queue, "queue");
    requireNonNull(at, "at");
    messageIds = List.copyOf(messageIds);
    requireNonNull(cause, "cause");
  }
}
