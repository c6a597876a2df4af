package io.queues4j.spi;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueContentType;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A message as a store keeps it: its id, send time, encoded body and content type, which never
 * change (a message moved to a dead-letter queue keeps them), and its delivery state on its
 * current queue: when it becomes visible and how many deliveries it has had there.
 *
 * <p>Immutable and thread-safe, except that {@link #body()} returns the stored array itself, to
 * avoid a copy per message: neither the engine nor a store may modify it.
 */
public final class StoredMessage {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final long idHigh;
  private final long idLow;
  private final long timestamp;
  private final byte[] body;
  private final QueueContentType contentType;
  private final long visibleAt;
  private final int attempts;
  private final @Nullable String groupId;
  private final @Nullable String dedupeKey;
  /** {@link #id()}, made on first use; a race makes it twice, each time equal. */
  private @Nullable String idText;

  private StoredMessage(
      long idHigh,
      long idLow,
      long timestamp,
      byte[] body,
      QueueContentType contentType,
      long visibleAt,
      int attempts,
      @Nullable String groupId,
      @Nullable String dedupeKey) {
    this.idHigh = idHigh;
    this.idLow = idLow;
    this.timestamp = timestamp;
    this.body = body;
    this.contentType = contentType;
    this.visibleAt = visibleAt;
    this.attempts = attempts;
    this.groupId = groupId;
    this.dedupeKey = dedupeKey;
  }

  /**
   * Creates a message.
   *
   * @param idHigh the first 64 bits of the 128-bit message id
   * @param idLow the last 64 bits of the message id
   * @param timestamp the send time, epoch milliseconds, not negative
   * @param body the encoded body; kept, not copied
   * @param contentType the content type it was sent with
   * @param visibleAt when it becomes deliverable, epoch milliseconds
   * @param attempts deliveries so far on its current queue, not negative
   * @return the message
   * @throws IllegalArgumentException if {@code timestamp} or {@code attempts} is negative
   */
  public static StoredMessage of(
      long idHigh,
      long idLow,
      long timestamp,
      byte[] body,
      QueueContentType contentType,
      long visibleAt,
      int attempts) {
    requireNonNull(body, "body");
    requireNonNull(contentType, "contentType");
    if (timestamp < 0) {
      throw new IllegalArgumentException("timestamp must not be negative but was " + timestamp);
    }
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative but was " + attempts);
    }
    return new StoredMessage(
        idHigh, idLow, timestamp, body, contentType, visibleAt, attempts, null, null);
  }

  /**
   * Creates a message of a FIFO queue: as {@link #of(long, long, long, byte[], QueueContentType,
   * long, int)}, with its group and its deduplication key.
   *
   * @param idHigh the first 64 bits of the 128-bit message id
   * @param idLow the last 64 bits of the message id
   * @param timestamp the send time, epoch milliseconds, not negative
   * @param body the encoded body; kept, not copied
   * @param contentType the content type it was sent with
   * @param visibleAt when it becomes deliverable, epoch milliseconds
   * @param attempts deliveries so far on its current queue, not negative
   * @param groupId its group: messages of a group are delivered one batch at a time, in order
   * @param dedupeKey what makes it a duplicate of another message of its group: an explicit
   *     deduplication id, or a hash of its body
   * @return the message
   * @throws IllegalArgumentException if {@code timestamp} or {@code attempts} is negative
   */
  public static StoredMessage of(
      long idHigh,
      long idLow,
      long timestamp,
      byte[] body,
      QueueContentType contentType,
      long visibleAt,
      int attempts,
      String groupId,
      String dedupeKey) {
    requireNonNull(groupId, "groupId");
    requireNonNull(dedupeKey, "dedupeKey");
    StoredMessage m = of(idHigh, idLow, timestamp, body, contentType, visibleAt, attempts);
    return new StoredMessage(m.idHigh, m.idLow, m.timestamp, m.body, m.contentType, m.visibleAt,
        m.attempts, groupId, dedupeKey);
  }

  /**
   * Returns the same message with another delivery state.
   *
   * @param visibleAt when it becomes deliverable
   * @param attempts deliveries so far on its current queue, not negative
   * @return the message
   * @throws IllegalArgumentException if {@code attempts} is negative
   */
  public StoredMessage with(long visibleAt, int attempts) {
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative but was " + attempts);
    }
    StoredMessage moved = new StoredMessage(
        idHigh, idLow, timestamp, body, contentType, visibleAt, attempts, groupId, dedupeKey);
    moved.idText = idText;
    return moved;
  }

  /**
   * Returns the message's group, on a FIFO queue.
   *
   * @return the group id, or {@code null} for a message of a standard queue
   */
  public @Nullable String groupId() {
    return groupId;
  }

  /**
   * Returns what makes the message a duplicate of another of its group, on a FIFO queue.
   *
   * @return the deduplication key, or {@code null} for a message of a standard queue
   */
  public @Nullable String dedupeKey() {
    return dedupeKey;
  }

  /**
   * Returns the message id as Cloudflare formats ids: 32 lowercase hex characters.
   *
   * @return the id text
   */
  public String id() {
    String text = idText;
    if (text == null) {
      text = idText(idHigh, idLow);
      idText = text; // a String is safely published through a data race
    }
    return text;
  }

  /**
   * Returns the text of the id made of {@code idHigh} and {@code idLow}, as {@link #id()} does.
   *
   * @param idHigh the id's first 64 bits
   * @param idLow the id's last 64 bits
   * @return 32 lowercase hex characters
   */
  public static String idText(long idHigh, long idLow) {
    byte[] text = new byte[32];
    writeHex(text, 0, idHigh);
    writeHex(text, 16, idLow);
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  private static void writeHex(byte[] into, int offset, long value) {
    for (int i = 15; i >= 0; i--) {
      into[offset + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /**
   * Returns the first 64 bits of the id, for stores that keep ids as two integers.
   *
   * @return the high bits
   */
  public long idHigh() {
    return idHigh;
  }

  /**
   * Returns the last 64 bits of the id.
   *
   * @return the low bits
   */
  public long idLow() {
    return idLow;
  }

  /**
   * Returns the send time.
   *
   * @return epoch milliseconds
   */
  public long timestamp() {
    return timestamp;
  }

  /**
   * Returns the encoded body: the stored array itself, which must not be modified.
   *
   * @return the bytes as sent
   */
  public byte[] body() {
    return body;
  }

  /**
   * Returns the size of the encoded body.
   *
   * @return bytes
   */
  public int size() {
    return body.length;
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
   * Returns when the message becomes (or became) deliverable.
   *
   * @return epoch milliseconds
   */
  public long visibleAt() {
    return visibleAt;
  }

  /**
   * Returns the deliveries it has had on its current queue; for a claimed message, the current
   * delivery included (the attempt number a consumer sees).
   *
   * @return 0 or more
   */
  public int attempts() {
    return attempts;
  }

  @Override
  public String toString() {
    return "StoredMessage{id=" + id() + ", timestamp=" + timestamp + ", bytes=" + body.length
        + ", contentType=" + contentType + ", visibleAt=" + visibleAt + ", attempts=" + attempts
        + (groupId == null ? "" : ", groupId=" + groupId) + "}";
  }
}
