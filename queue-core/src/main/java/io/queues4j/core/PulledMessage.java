package io.queues4j.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queues4j.QueueContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A message leased by a {@link PullConsumer}: settle it by its {@link #leaseId()} before the lease
 * ends. Immutable and thread-safe.
 */
public final class PulledMessage {
  private final String id;
  private final Instant timestamp;
  private final int attempts;
  private final String leaseId;
  private final Instant leaseEnds;
  private final QueueContentType contentType;
  private final byte[] body;
  private final ObjectMapper mapper;

  PulledMessage(String id, Instant timestamp, int attempts, String leaseId, Instant leaseEnds,
      QueueContentType contentType, byte[] body, ObjectMapper mapper) {
    this.id = id;
    this.timestamp = timestamp;
    this.attempts = attempts;
    this.leaseId = leaseId;
    this.leaseEnds = leaseEnds;
    this.contentType = contentType;
    this.body = body;
    this.mapper = mapper;
  }

  /**
   * Returns the message id.
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
   * Returns the delivery attempt this is: 1 on the first delivery.
   *
   * @return 1 or more
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Returns the lease to acknowledge or retry the message with.
   *
   * @return an opaque id, unique to this delivery
   */
  public String leaseId() {
    return leaseId;
  }

  /**
   * Returns when the lease ends, on the engine's clock.
   *
   * @return the end of the visibility timeout
   */
  public Instant leaseEnds() {
    return leaseEnds;
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
   * Decodes the body as a push consumer would: JSON with the engine's Jackson mapper; TEXT as a
   * {@link String} and BYTES as a {@code byte[]} when {@code type} can hold one.
   *
   * @param type the body type
   * @param <T> the body type
   * @return the decoded body
   * @throws UncheckedIOException if the body cannot be decoded as {@code type}
   */
  public <T> T body(Class<T> type) {
    try {
      return type.cast(
          new MessageCodec.BodyReader(mapper, mapper.constructType(type)).decode(contentType, body));
    } catch (IOException | IllegalArgumentException e) {
      throw new UncheckedIOException(
          "message " + id + " cannot be decoded as " + type, new IOException(e));
    }
  }

  @Override
  public String toString() {
    return "PulledMessage{id=" + id + ", attempts=" + attempts + ", leaseId=" + leaseId
        + ", contentType=" + contentType + ", bytes=" + body.length + "}";
  }
}
