package io.queues4j.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.util.RawValue;
import io.queues4j.Queue;
import io.queues4j.QueueNotFoundException;
import io.queues4j.core.QueueEngine;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpField;

/**
 * The queue-run face: each {@link QueueRunRoute} is a {@code POST} route that turns the request
 * body into a job and answers {@code 202} with {@code X-Job-Id}.
 *
 * <p>Statuses follow queue-run: a content type the route does not accept is 415; a body that is
 * not what its content type promises (invalid JSON, empty text, a file in a form) is 422; a body
 * over the limit is 413, and rate limits (shared with the W7S face, per caller) are 429.
 */
final class QueueRunFace implements Face {
  private final QueueEngine engine;
  private final List<QueueRunRoute> routes;
  private final HttpLimits limits;
  private final RateLimiter rateLimiter;
  private final InstantSource clock;
  private final Map<String, Queue<RawValue>> bindings = new HashMap<>();

  QueueRunFace(
      QueueEngine engine,
      List<QueueRunRoute> routes,
      HttpLimits limits,
      RateLimiter rateLimiter,
      InstantSource clock) {
    this.engine = engine;
    this.routes = routes;
    this.limits = limits;
    this.rateLimiter = rateLimiter;
    this.clock = clock;
  }

  @Override
  public void addRoutes(Router router) {
    for (QueueRunRoute route : routes) {
      router.add("POST", route.path(), true, ex -> accept(ex, route));
    }
  }

  @Override
  public void start() {
    for (QueueRunRoute route : routes) {
      try {
        engine.stats(route.queue());
      } catch (QueueNotFoundException e) {
        throw new IllegalStateException(
            "queue-run route POST " + route.path() + " targets queue '" + route.queue()
                + "', which the engine has not declared",
            e);
      }
      bindings.put(route.queue(), engine.queue(route.queue()));
    }
  }

  private void accept(Exchange ex, QueueRunRoute route) throws HttpError {
    String contentType = ex.request.getHeaders().get("Content-Type");
    String media = JsonBodies.mediaType(contentType);
    if (!route.accepts().contains(media)) {
      throw HttpError.unsupportedMediaType(
          "POST " + route.path() + " accepts " + String.join(", ", route.accepts())
              + " but Content-Type was "
              + (contentType == null ? "missing" : "'" + RootHandler.truncate(contentType) + "'"));
    }
    Charset charset = charset(contentType);
    BodyReader.read(
        ex,
        limits.maxBodyBytes(),
        "queue-run request body",
        body -> {
          switch (media) {
            case QueueRunRoute.JSON -> {
              String text = decode(body, charset, media);
              if (JsonBodies.jsonProblem(text) != null) {
                throw HttpError.unprocessable("application/json: not a valid JSON document");
              }
              send(ex, route, text, media);
            }
            case QueueRunRoute.FORM ->
                send(ex, route, objectJson(FormBodies.urlEncoded(decode(body, charset, media))), media);
            case QueueRunRoute.TEXT -> {
              String text = decode(body, charset, media);
              if (text.isEmpty()) {
                throw HttpError.unprocessable("text/plain: no message body");
              }
              send(ex, route, stringJson(text), media);
            }
            default -> {
              CompletableFuture<?> unused =
                FormBodies.multipart(contentType, body)
                    .whenComplete(
                        (fields, failure) -> {
                          if (failure != null) {
                            ex.failWith(
                                failure.getCause() instanceof HttpError e ? e : failure);
                            return;
                          }
                          try {
                            send(ex, route, objectJson(fields), media);
                          } catch (HttpError e) {
                            ex.fail(e);
                          } catch (RuntimeException e) {
                            ex.failUnexpected(e);
                          }
                        });
            }
          }
        });
  }

  private static Charset charset(String contentType) throws HttpError {
    String name = JsonBodies.charset(contentType);
    if (name == null) {
      return java.nio.charset.StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalArgumentException e) {
      throw HttpError.unsupportedMediaType(
          "charset '" + RootHandler.truncate(name) + "' is not supported");
    }
  }

  private static String decode(byte[] body, Charset charset, String media) throws HttpError {
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw HttpError.unprocessable(media + ": the body is not valid " + charset.name());
    }
  }

  private void send(Exchange ex, QueueRunRoute route, String payloadJson, String media)
      throws HttpError {
    Caller caller = ex.caller();
    rateLimiter.acquire(caller);
    Queue<RawValue> queue = bindings.get(route.queue());
    if (queue == null) {
      throw HttpError.unavailable("the server is not started");
    }
    String envelope = envelope(route.queue(), clock.instant(), ex.params(), caller, media, payloadJson);
    CompletableFuture<?> unused =
        queue
        .send(new RawValue(envelope))
        .whenComplete(
            (result, failure) -> {
              if (failure != null) {
                ex.failWith(HttpError.ofSendFailure(failure));
              } else {
                String jobId = result.messageIds().get(0); // the message id the handler sees
                ex.respondJson(
                    202,
                    Exchange.json(
                        g -> {
                          g.writeStartObject();
                          g.writeStringField("jobId", jobId);
                          g.writeEndObject();
                        }),
                    new HttpField("X-Job-Id", jobId));
              }
            });
  }

  /**
   * The stored job: queue-run's handler metadata plus the payload. Its job id is the message id
   * (the handler reads it from the delivered message; the sender got it in {@code X-Job-Id}).
   */
  static String envelope(
      String queueName,
      Instant queuedAt,
      Map<String, String> params,
      Caller caller,
      String media,
      String payloadJson) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("queueName", queueName);
          g.writeStringField("queuedAt", Timestamps.format(queuedAt));
          g.writeObjectFieldStart("params");
          for (Map.Entry<String, String> e : params.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
          }
          g.writeEndObject();
          g.writeObjectFieldStart("user");
          g.writeStringField("id", caller.repository());
          g.writeEndObject();
          g.writeStringField("contentType", media);
          g.writeFieldName("payload");
          g.writeRawValue(payloadJson);
          g.writeEndObject();
        });
  }

  private static String objectJson(Map<String, String> fields) {
    return write(
        g -> {
          g.writeStartObject();
          for (Map.Entry<String, String> e : fields.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
          }
          g.writeEndObject();
        });
  }

  private static String stringJson(String text) {
    return write(g -> g.writeString(text));
  }

  private static String write(Exchange.JsonBody body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = Exchange.JSON.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
