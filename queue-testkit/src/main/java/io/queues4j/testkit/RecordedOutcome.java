package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What happened to one message after a delivery, as recorded by a {@link QueueTestKit}.
 * Value-based.
 *
 * @param queue the queue the message was on
 * @param at when, on the harness clock
 * @param messageId the message
 * @param body its body as its producer sent it
 * @param attempts deliveries it had on this queue (0 for {@link MessageOutcome.Evicted})
 * @param outcome what the engine did with it
 */
public record RecordedOutcome(
    String queue, Instant at, String messageId, Object body, int attempts, MessageOutcome outcome) {

  /**
   * Validates the record.
   *
   * @param queue see the record description
   * @param at see the record description
   * @param messageId see the record description
   * @param body see the record description
   * @param attempts see the record description
   * @param outcome see the record description
   * @throws NullPointerException if a reference is {@code null}
   */
  public RecordedOutcome {
    requireNonNull(queue, "queue");
    requireNonNull(at, "at");
    requireNonNull(messageId, "messageId");
    requireNonNull(body, "body");
    requireNonNull(outcome, "outcome");
  }
}
