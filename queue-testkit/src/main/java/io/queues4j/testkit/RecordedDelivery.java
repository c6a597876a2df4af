package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * One batch handed to a consumer, as recorded by a {@link QueueTestKit}. Value-based.
 *
 * @param queue the queue the batch came from
 * @param at when it was dispatched, on the harness clock
 * @param messageIds the messages, in batch order
 * @param attempts each message's attempt number (1 on its first delivery), in the same order
 * @param bodies each message's body as its producer sent it, in the same order
 */
public record RecordedDelivery(
    String queue, Instant at, List<String> messageIds, List<Integer> attempts, List<Object> bodies) {

  /**
   * Validates and copies the record.
   *
   * @param queue see the record description
   * @param at see the record description
   * @param messageIds see the record description
   * @param attempts see the record description
   * @param bodies see the record description
   * @throws NullPointerException if a reference or an element is {@code null}
   * @throws IllegalArgumentException if the lists differ in size
   */
  public RecordedDelivery {
    requireNonNull(queue, "queue");
    requireNonNull(at, "at");
    messageIds = List.copyOf(messageIds);
    attempts = List.copyOf(attempts);
    bodies = List.copyOf(bodies);
    if (attempts.size() != messageIds.size() || bodies.size() != messageIds.size()) {
      throw new IllegalArgumentException(
          "messageIds, attempts and bodies must have one entry per message but had "
              + messageIds.size() + ", " + attempts.size() + " and " + bodies.size());
    }
  }

  /**
   * Returns the number of messages in the batch.
   *
   * @return the batch size, at least 1
   */
  public int size() {
    return messageIds.size();
  }
}
