package io.queues4j;

/**
 * How a message body is encoded; mirrors Cloudflare's {@code QueuesContentType}.
 *
 * <p>The encoded size of the body is what the message size limits measure.
 */
public enum QueueContentType {
  /** Any value Jackson can serialize, encoded as UTF-8 JSON. The default. */
  JSON,
  /** A {@link String}, encoded as UTF-8. */
  TEXT,
  /** A {@code byte[]}, stored as given (copied at send time). */
  BYTES,
  /**
   * JavaScript structured clone. It has no Java meaning, so every send that asks for it fails
   * with {@link UnsupportedContentTypeException}; it exists so that names line up with Cloudflare's.
   */
  V8;

  /**
   * Returns the lower-case name Cloudflare uses, e.g. {@code "json"}.
   *
   * @return the wire name of this content type
   */
  public String wireName() {
    return switch (this) {
      case JSON -> "json";
      case TEXT -> "text";
      case BYTES -> "bytes";
      case V8 -> "v8";
    };
  }
}
