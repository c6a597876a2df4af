package io.queues4j.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.queues4j.Queue;
import io.queues4j.QueueContentType;
import io.queues4j.QueueSendOptions;
import io.queues4j.core.QueueEngine;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The W7S face: {@code POST /api/v1/queues/{owner}/{repo}/{queue}} enqueues a JSON message for a
 * declared {@link W7sQueue}, and queues with a consumer URL get a {@link PushDelivery} consumer.
 *
 * <p>Checks, in order, each with its status: target declared for the caller's environment (404),
 * caller allowed (403), {@code Content-Type: application/json} (415), {@code
 * x-w7s-queue-delay-seconds} an integer 0..86400 appearing at most once (400), body within the
 * limit while read (413), body one JSON value in UTF-8 (400), envelope within the limit (413),
 * rate limits (429). Only then is the envelope sent to the engine.
 */
final class W7sFace implements Face {
  static final String DELAY_HEADER = "x-w7s-queue-delay-seconds";
  private static final int MAX_DELAY = 86_400;

  private final QueueEngine engine;
  private final Map<String, W7sQueue> queues = new HashMap<>();
  private final Map<String, Queue<RawValue>> bindings = new HashMap<>();
  private final HttpLimits limits;
  private final RateLimiter rateLimiter;
  private final InstantSource clock;
  private final List<PushDelivery> pushes = new ArrayList<>();

  W7sFace(
      QueueEngine engine,
      List<W7sQueue> declared,
      HttpLimits limits,
      RateLimiter rateLimiter,
      InstantSource clock) {
    this.engine = engine;
    this.limits = limits;
    this.rateLimiter = rateLimiter;
    this.clock = clock;
    for (W7sQueue q : declared) {
      W7sQueue previous = queues.putIfAbsent(key(q.owner(), q.repo(), q.environment(), q.name()), q);
      if (previous != null) {
        throw new IllegalArgumentException("W7S queue declared twice: " + q.engineQueueName());
      }
    }
  }

  private static String key(String owner, String repo, String environment, String queue) {
    return (owner + "/" + repo + "/" + environment + "/" + queue).toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public void addRoutes(Router router) {
    router.add("POST", "/api/v1/queues/{owner}/{repo}/{queue}", true, this::send);
  }

  @Override
  public void start() {
    for (W7sQueue q : queues.values()) {
      engine.declareQueue(q.engineQueueName(), q.queueSettings());
      bindings.put(q.engineQueueName(), engine.queue(q.engineQueueName()));
      if (q.consumerUri().isPresent()) {
        PushDelivery push = new PushDelivery(q, clock);
        engine.consume(q.engineQueueName(), JsonNode.class, q.consumerSettings(), push);
        pushes.add(push);
      }
    }
  }

  @Override
  public void stop() {
    pushes.forEach(PushDelivery::close);
  }

  private void send(Exchange ex) throws HttpError {
    Caller caller = ex.caller();
    String owner = ex.param("owner");
    String repo = ex.param("repo");
    String name = ex.param("queue");
    W7sQueue target =
        Caller.isSlug(owner) && Caller.isSlug(repo) && Caller.isSlug(name)
            ? queues.get(key(owner, repo, caller.environment(), name))
            : null;
    if (target == null) {
      throw HttpError.notFound(
          "no W7S queue '" + RootHandler.truncate(name) + "' is declared for "
              + RootHandler.truncate(owner + "/" + repo) + " in environment '"
              + caller.environment() + "'");
    }
    if (!target.allows(caller)) {
      throw HttpError.forbidden(
          caller.repository() + " may not send to " + target.owner() + "/" + target.repo()
              + ": not the same owner and not in its queue allowlist");
    }
    String contentType = ex.request.getHeaders().get("Content-Type");
    String media = JsonBodies.mediaType(contentType);
    String charset = JsonBodies.charset(contentType);
    if (!media.equals("application/json") || (charset != null && !charset.equals("utf-8"))) {
      throw HttpError.unsupportedMediaType(
          "W7S queue messages must be application/json in UTF-8 but Content-Type was "
              + (contentType == null ? "missing" : "'" + RootHandler.truncate(contentType) + "'"));
    }
    OptionalInt delay = delaySeconds(ex.singleHeader(DELAY_HEADER));
    int readLimit = Math.min(limits.maxBodyBytes(), target.maxEnvelopeBytes());
    BodyReader.read(ex, readLimit, "W7S request body", body -> enqueue(ex, target, caller, delay, body));
  }

  static OptionalInt delaySeconds(@Nullable String value) throws HttpError {
    if (value == null) {
      return OptionalInt.empty();
    }
    String v = value.trim();
    boolean digits = !v.isEmpty() && v.length() <= 5 && v.chars().allMatch(c -> c >= '0' && c <= '9');
    int seconds = digits ? Integer.parseInt(v) : -1;
    if (seconds < 0 || seconds > MAX_DELAY) {
      throw HttpError.badRequest(
          DELAY_HEADER + " must be an integer from 0 to " + MAX_DELAY + " but was '"
              + RootHandler.truncate(value) + "'");
    }
    return OptionalInt.of(seconds);
  }

  private void enqueue(Exchange ex, W7sQueue target, Caller caller, OptionalInt delay, byte[] body)
      throws HttpError {
    String text = JsonBodies.utf8(body);
    if (text == null) {
      throw HttpError.badRequest("the body is not valid UTF-8");
    }
    String problem = JsonBodies.jsonProblem(text);
    if (problem != null) {
      throw HttpError.badRequest(problem);
    }
    Instant now = clock.instant();
    String envelope = envelope(now, caller, text);
    // Everything but the body is ASCII, so the UTF-8 size is the ASCII part plus the body's bytes,
    // plus the id the delivery adds (the message id the engine gives it).
    long size = (long) envelope.length() - text.length() + body.length + ID_FIELD_CHARS;
    if (size > target.maxEnvelopeBytes()) {
      throw HttpError.tooLarge(
          "the W7S envelope of " + size + " bytes exceeds the limit of " + target.maxEnvelopeBytes()
              + " bytes");
    }
    rateLimiter.acquire(caller);
    Queue<RawValue> queue = bindings.get(target.engineQueueName());
    if (queue == null) {
      throw HttpError.unavailable("the server is not started");
    }
    QueueSendOptions options = new QueueSendOptions(QueueContentType.JSON, delay);
    CompletableFuture<?> unused =
        queue
        .send(new RawValue(envelope), options)
        .whenComplete(
            (result, failure) -> {
              if (failure != null) {
                ex.failWith(HttpError.ofSendFailure(failure));
              } else {
                ex.respondJson(202, accepted(result.messageIds().get(0), target, now, delay));
              }
            });
  }

  /** {@code "id":"<32 hex>",}: what a delivery adds to the stored envelope. */
  private static final int ID_FIELD_CHARS = 40;

  /**
   * The stored message: what the push consumer turns into one entry of a W7S batch, adding the
   * message's id (the engine's, which the sender got back) at delivery.
   */
  static String envelope(Instant enqueuedAt, Caller caller, String jsonBody) {
    StringWriter out = new StringWriter(jsonBody.length() + 256);
    try (JsonGenerator g = Exchange.JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("enqueuedAt", Timestamps.format(enqueuedAt));
      g.writeObjectFieldStart("caller");
      g.writeStringField("orgSlug", caller.owner());
      g.writeStringField("repoSlug", caller.repo());
      g.writeStringField("repository", caller.repository());
      g.writeStringField("environment", caller.environment());
      g.writeEndObject();
      g.writeFieldName("body");
      g.writeRawValue(jsonBody);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static byte[] accepted(String jobId, W7sQueue target, Instant now, OptionalInt delay) {
    return Exchange.json(
        g -> {
          g.writeStartObject();
          g.writeBooleanField("ok", true);
          g.writeStringField("id", jobId);
          g.writeStringField("queue", target.name());
          g.writeStringField("queueName", target.wireQueueName());
          g.writeStringField("enqueuedAt", Timestamps.format(now));
          g.writeNumberField("delaySeconds", delay.orElse(0));
          g.writeEndObject();
        });
  }
}
