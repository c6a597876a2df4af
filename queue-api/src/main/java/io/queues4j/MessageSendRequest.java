package io.queues4j;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * One message of a {@link Queue#sendBatch(Iterable)}; mirrors Cloudflare's {@code
 * MessageSendRequest}. Value-based.
 *
 * @param body the message body; encoded when the batch is sent, so later changes to the object
 *     have no effect on the message
 * @param contentType how the body is encoded
 * @param delaySeconds this message's own delay in [0, 86400]; empty means the batch's delay, else
 *     the queue's delivery delay
 * @param <Body> the body type
 */
public record MessageSendRequest<Body>(
    Body body, QueueContentType contentType, OptionalInt delaySeconds) {

  /**
   * Validates the request.
   *
   * @param body see the record description
   * @param contentType see the record description
   * @param delaySeconds see the record description
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code delaySeconds} is outside [0, 86400]
   */
  public MessageSendRequest {
    requireNonNull(body, "body");
    requireNonNull(contentType, "contentType");
    requireNonNull(delaySeconds, "delaySeconds");
    delaySeconds.ifPresent(d -> Delays.check("delaySeconds", d));
  }

  /**
   * A JSON message with no delay of its own.
   *
   * @param body the message body
   * @param <Body> the body type
   * @return the request
   */
  public static <Body> MessageSendRequest<Body> of(Body body) {
    return new MessageSendRequest<>(body, QueueContentType.JSON, OptionalInt.empty());
  }

  /**
   * A message with the given content type and no delay of its own.
   *
   * @param body the message body
   * @param contentType how the body is encoded
   * @param <Body> the body type
   * @return the request
   */
  public static <Body> MessageSendRequest<Body> of(Body body, QueueContentType contentType) {
    return new MessageSendRequest<>(body, contentType, OptionalInt.empty());
  }

  /**
   * Returns a copy with its own delay.
   *
   * @param seconds seconds before the message may be delivered, in [0, 86400]
   * @return the new request
   * @throws IllegalArgumentException if {@code seconds} is outside [0, 86400]
   */
  public MessageSendRequest<Body> withDelaySeconds(int seconds) {
    return new MessageSendRequest<>(body, contentType, OptionalInt.of(seconds));
  }
}
