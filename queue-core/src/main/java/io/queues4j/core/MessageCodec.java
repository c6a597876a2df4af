package io.queues4j.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.queues4j.ContentTypeMismatchException;
import io.queues4j.MessageEncodingException;
import io.queues4j.QueueContentType;
import io.queues4j.UnsupportedContentTypeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes bodies once at send time and decodes them, per delivery, into a consumer's body type.
 * Thread-safe: Jackson's readers and writers are immutable.
 */
final class MessageCodec {
  private final ObjectMapper mapper;
  private final ObjectWriter writer;

  MessageCodec(ObjectMapper mapper) {
    this.mapper = mapper;
    this.writer = mapper.writer();
  }

  /**
   * Encodes a body for its content type.
   *
   * @throws ContentTypeMismatchException if the body does not fit the content type
   * @throws UnsupportedContentTypeException for {@code V8}
   * @throws MessageEncodingException if Jackson cannot serialize the body
   * @throws NullPointerException if the body encodes to JSON {@code null}
   */
  byte[] encode(String queue, Object body, QueueContentType contentType) {
    switch (contentType) {
      case JSON:
        byte[] json;
        try {
          json = writer.writeValueAsBytes(body);
        } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
          // StackOverflowError: a cyclic or absurdly deep object graph, not a broken JVM
          throw new MessageEncodingException(queue, body.getClass().getName(), e);
        }
        if (isJsonNull(json)) { // e.g. NullNode: as undeliverable as send(null), refused alike
          throw new NullPointerException(
              "body must not be null, but " + body.getClass().getName() + " encodes to JSON null");
        }
        return json;
      case TEXT:
        if (body instanceof CharSequence text) {
          return text.toString().getBytes(StandardCharsets.UTF_8);
        }
        throw new ContentTypeMismatchException(
            queue, contentType, "String", body.getClass().getName());
      case BYTES:
        if (body instanceof byte[] bytes) {
          return bytes.clone();
        }
        if (body instanceof ByteBuffer buffer) {
          byte[] bytes = new byte[buffer.remaining()];
          buffer.duplicate().get(bytes);
          return bytes;
        }
        throw new ContentTypeMismatchException(
            queue, contentType, "byte[] or ByteBuffer", body.getClass().getName());
      case V8:
      default:
        throw new UnsupportedContentTypeException(queue, contentType);
    }
  }

  private static boolean isJsonNull(byte[] json) {
    int start = 0;
    int end = json.length;
    while (start < end && json[start] <= ' ') {
      start++;
    }
    while (end > start && json[end - 1] <= ' ') {
      end--;
    }
    return end - start == 4
        && json[start] == 'n' && json[start + 1] == 'u' && json[start + 2] == 'l'
        && json[start + 3] == 'l';
  }

  ObjectMapper mapper() {
    return mapper;
  }

  BodyReader reader(JavaType type) {
    return new BodyReader(mapper, type);
  }

  /** Decodes encoded bodies into one Java type; one per consumer. */
  static final class BodyReader {
    private final ObjectMapper mapper;
    private final ObjectReader json;
    private final JavaType type;
    private final boolean acceptsString;
    private final boolean acceptsBytes;

    BodyReader(ObjectMapper mapper, JavaType type) {
      this.mapper = mapper;
      this.json = mapper.readerFor(type);
      this.type = type;
      Class<?> raw = type.getRawClass();
      this.acceptsString = raw.isAssignableFrom(String.class);
      this.acceptsBytes = raw.isAssignableFrom(byte[].class);
    }

    JavaType type() {
      return type;
    }

    /**
     * Decodes a body. A TEXT body is a {@code String}, a BYTES body a fresh {@code byte[]}; each
     * is converted by Jackson when the consumer asks for another type.
     *
     * @throws IOException or {@link IllegalArgumentException} if the body does not fit the type
     */
    Object decode(QueueContentType contentType, byte[] body) throws IOException {
      switch (contentType) {
        case TEXT:
          String text = new String(body, StandardCharsets.UTF_8);
          return acceptsString ? text : mapper.convertValue(text, type);
        case BYTES:
          return acceptsBytes ? body.clone() : mapper.convertValue(body.clone(), type);
        case JSON:
        default:
          Object value = json.readValue(body);
          if (value == null) {
            throw new IOException("body is JSON null, which no consumer type can hold");
          }
          return value;
      }
    }
  }
}
