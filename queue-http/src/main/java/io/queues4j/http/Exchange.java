package io.queues4j.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request being answered: the Jetty request, response and callback, the path parameters of the
 * matched route and the authenticated caller. Completes exactly once, whichever thread answers.
 */
final class Exchange {
  private static final Logger logger = LoggerFactory.getLogger(Exchange.class);
  static final JsonFactory JSON = new JsonFactory();
  static final String JSON_TYPE = "application/json";

  final Request request;
  final Response response;
  private final Callback callback;
  private final AtomicBoolean completed = new AtomicBoolean();
  private Map<String, String> pathParams = Map.of();
  private @Nullable Caller caller;
  private ErrorFormat errorFormat = ErrorFormat.DEFAULT;
  /** Set by {@link BodyReader} once it read the last chunk of the request's body. */
  private volatile boolean bodyRead;

  /**
   * How refusals are written: the server's {@code {"error": {...}}} envelope unless the request's
   * path belongs to a face with its own (Cloudflare's v4 envelope under {@code /client/v4/}).
   */
  @FunctionalInterface
  interface ErrorFormat {
    ErrorFormat DEFAULT = error -> errorJson(error.code, error.getMessage());

    /** Returns the JSON body for a refusal. */
    byte[] render(HttpError error);
  }

  Exchange(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
  }

  void route(Map<String, String> params, @Nullable Caller authenticated) {
    this.pathParams = params;
    this.caller = authenticated;
  }

  String param(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no path parameter '" + name + "'");
    }
    return value;
  }

  void errorFormat(ErrorFormat format) {
    this.errorFormat = format;
  }

  Map<String, String> params() {
    return pathParams;
  }

  Caller caller() {
    Caller c = caller;
    if (c == null) {
      throw new IllegalStateException("route is not authenticated");
    }
    return c;
  }

  /** Returns the single value of a header, or null; two or more values are a 400. */
  @Nullable String singleHeader(String name) throws HttpError {
    var values = request.getHeaders().getValuesList(name);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw HttpError.badRequest(
          "header " + name + " must appear once but appeared " + values.size() + " times");
    }
    return values.get(0);
  }

  void bodyRead() {
    bodyRead = true;
  }

  /**
   * Whether the request came with a body that was not read to its end: a refusal before or while
   * reading it (401, 404, 413, ...). The answer then says {@code Connection: close}: the server
   * will not read the rest, so it closes the connection, and a client that reused it would send
   * its next request into a closed socket (the JDK's client does, and fails with "header parser
   * received no bytes").
   */
  private boolean bodyLeftUnread() {
    if (bodyRead) {
      return false;
    }
    long length = request.getLength();
    return length > 0
        || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
  }

  void respond(int status, byte[] body, String contentType, HttpField... headers) {
    if (!completed.compareAndSet(false, true)) {
      return;
    }
    response.setStatus(status);
    var h = response.getHeaders();
    if (bodyLeftUnread()) {
      h.put(HttpHeader.CONNECTION, "close");
    }
    h.put(HttpHeader.CONTENT_TYPE, contentType);
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Cache-Control", "no-store");
    for (HttpField field : headers) {
      h.put(field);
    }
    h.put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  void respondJson(int status, byte[] json, HttpField... headers) {
    respond(status, json, JSON_TYPE, headers);
  }

  void fail(HttpError error) {
    respondJson(error.status, errorFormat.render(error), error.headers.toArray(HttpField[]::new));
  }

  /** Answers 500 for a failure nobody expected; the cause is logged, never sent. */
  void failUnexpected(Throwable failure) {
    logger.error(
        "request {} {} failed", request.getMethod(), request.getHttpURI().getPath(), failure);
    respondJson(
        500,
        errorFormat.render(
            new HttpError(500, "internal_error", "the server failed to handle the request")));
  }

  void failWith(Throwable failure) {
    if (failure instanceof HttpError error) {
      fail(error);
    } else {
      failUnexpected(failure);
    }
  }

  static byte[] errorJson(String code, @Nullable String message) {
    return json(
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart("error");
          g.writeStringField("code", code);
          g.writeStringField("message", message == null ? code : message);
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  /** Writes a small JSON document with a streaming generator (no reflection, no tree). */
  static byte[] json(JsonBody body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes one JSON document. */
  @FunctionalInterface
  interface JsonBody {
    void write(JsonGenerator g) throws IOException;
  }
}
