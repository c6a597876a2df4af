package io.queues4j.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queues4j.QueueContentType;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A dead letter held by a queue that has no consumer, as returned by {@link
 * QueueEngine#deadLetters(String)}: it keeps the id, timestamp and encoded body it had on its
 * original queue. Immutable and thread-safe.
 */
public final class DeadLetter {
  private final String id;
  private final Instant timestamp;
  private final QueueContentType contentType;
  private final byte[] body;
  private final ObjectMapper mapper;

  DeadLetter(
      String id, Instant timestamp, QueueContentType contentType, byte[] body, ObjectMapper mapper) {
    this.id = id;
    this.timestamp = timestamp;
    this.contentType = contentType;
    this.body = body;
    this.mapper = mapper;
  }

  /**
   * Returns the message id, unchanged from the original queue.
   *
   * @return 32 lowercase hex characters
   */
  public String id() {
    return id;
  }

  /**
   * Returns when the message was first sent.
   *
   * @return the send time
   */
  public Instant timestamp() {
    return timestamp;
  }

  /**
   * Returns the content type the message was sent with.
   *
   * @return the content type
   */
  public QueueContentType contentType() {
    return contentType;
  }

  /**
   * Returns a copy of the encoded body.
   *
   * @return the bytes as sent
   */
  public byte[] bodyBytes() {
    return body.clone();
  }

  /**
   * Decodes the body as a consumer would: JSON with the engine's Jackson mapper; TEXT as a {@link
   * String} and BYTES as a {@code byte[]} when {@code type} can hold one (such as {@code
   * Object.class}), else converted by Jackson.
   *
   * @param type the body type
   * @param <T> the body type
   * @return the decoded body
   * @throws UncheckedIOException if the body cannot be decoded as {@code type}
   */
  public <T> T body(Class<T> type) {
    return MessageCodec.decodeAs(mapper, type, contentType, body, "dead letter " + id);
  }

  @Override
  public String toString() {
    return "DeadLetter{id=" + id + ", timestamp=" + timestamp + ", contentType=" + contentType
        + ", bytes=" + body.length + "}";
  }
}
