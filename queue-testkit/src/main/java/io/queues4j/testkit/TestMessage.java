package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One message of a {@link TestBatch}: what a handler will see through {@link
 * io.queues4j.Message}. Value-based.
 *
 * @param id the message id, not blank
 * @param body the body, handed to the handler as is (not encoded and decoded)
 * @param attempts the attempt number the handler sees, at least 1; with the consumer's {@code
 *     maxRetries} it decides whether a retry becomes a dead letter
 * @param timestamp the send time the handler sees
 * @param <B> the body type
 */
public record TestMessage<B>(String id, B body, int attempts, Instant timestamp) {

  /**
   * Validates the message.
   *
   * @param id see the record description
   * @param body see the record description
   * @param attempts see the record description
   * @param timestamp see the record description
   * @throws NullPointerException if a reference is {@code null}
   * @throws IllegalArgumentException if {@code id} is blank or {@code attempts < 1}
   */
  public TestMessage {
    requireNonNull(id, "id");
    requireNonNull(body, "body");
    requireNonNull(timestamp, "timestamp");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1 but was " + attempts);
    }
  }

  /**
   * A first delivery (attempt 1) sent at {@link ManualClock#DEFAULT_START}.
   *
   * @param id the message id
   * @param body the body
   * @param <B> the body type
   * @return the message
   * @throws IllegalArgumentException if {@code id} is blank
   */
  public static <B> TestMessage<B> of(String id, B body) {
    return new TestMessage<>(id, body, 1, ManualClock.DEFAULT_START);
  }

  /**
   * Returns a copy with another attempt number.
   *
   * @param attempts the attempt number, at least 1
   * @return the new message
   * @throws IllegalArgumentException if {@code attempts < 1}
   */
  public TestMessage<B> withAttempts(int attempts) {
    return new TestMessage<>(id, body, attempts, timestamp);
  }

  /**
   * Returns a copy with another send time.
   *
   * @param timestamp the send time
   * @return the new message
   */
  public TestMessage<B> withTimestamp(Instant timestamp) {
    return new TestMessage<>(id, body, attempts, timestamp);
  }
}
