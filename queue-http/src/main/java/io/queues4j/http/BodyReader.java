package io.queues4j.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.io.Content;

/**
 * Reads a request body asynchronously into memory, counting bytes as they arrive: the first chunk
 * that would pass the limit ends the read with 413, so an oversized body is never buffered (Jetty
 * then closes the connection rather than drain the rest). A declared {@code Content-Length} over the
 * limit is refused before anything is read.
 */
final class BodyReader implements Runnable {

  /** Receives a complete body; may throw {@link HttpError} to refuse it. */
  @FunctionalInterface
  interface BodyHandler {
    void accept(byte[] body) throws Exception;
  }

  private final Exchange exchange;
  private final int limit;
  private final String what;
  private final BodyHandler handler;
  private byte[] buffer;
  private int count;

  private BodyReader(Exchange exchange, int limit, String what, BodyHandler handler, int initial) {
    this.exchange = exchange;
    this.limit = limit;
    this.what = what;
    this.handler = handler;
    this.buffer = new byte[initial];
  }

  /**
   * Reads the body of {@code exchange}, at most {@code limit} bytes, then hands it to {@code
   * handler} on the thread that read the last chunk.
   *
   * @param what names the limit in the error message, e.g. "W7S request body"
   */
  static void read(Exchange exchange, int limit, String what, BodyHandler handler) {
    long declared = exchange.request.getLength();
    if (declared > limit) {
      exchange.fail(tooLarge(what, limit, "Content-Length " + declared));
      return;
    }
    int initial = declared >= 0 ? (int) declared : Math.min(limit, 8192);
    new BodyReader(exchange, limit, what, handler, initial).run();
  }

  private static HttpError tooLarge(String what, int limit, String value) {
    return HttpError.tooLarge(what + " exceeds the limit of " + limit + " bytes: " + value);
  }

  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = exchange.request.read();
      if (chunk == null) {
        exchange.request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        exchange.fail(HttpError.badRequest("the request body could not be read"));
        return;
      }
      int n = chunk.remaining();
      if ((long) count + n > limit) {
        chunk.release();
        exchange.fail(tooLarge(what, limit, "more than " + limit + " bytes were sent"));
        return;
      }
      if (n > 0) {
        append(chunk.getByteBuffer());
      }
      boolean last = chunk.isLast();
      chunk.release();
      if (last) {
        exchange.bodyRead();
        deliver();
        return;
      }
    }
  }

  private void append(ByteBuffer bytes) {
    int n = bytes.remaining();
    if (count + n > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.min(limit, Math.max(count + n, buffer.length * 2)));
    }
    bytes.get(buffer, count, n);
    count += n;
  }

  private void deliver() {
    byte[] body = count == buffer.length ? buffer : Arrays.copyOf(buffer, count);
    try {
      handler.accept(body);
    } catch (Exception e) {
      exchange.failWith(e);
    }
  }
}
