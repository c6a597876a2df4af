package io.queues4j.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queues4j.Message;
import io.queues4j.MessageBatch;
import io.queues4j.QueueContext;
import io.queues4j.QueueHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push consumer of a W7S queue: {@code POST}s each batch as W7S's JSON to the consuming app,
 * signed with {@link PushSignature}. A 2xx answer acknowledges the batch; any other status, a
 * timeout or a connection failure fails the invocation, so the engine retries every message with
 * the consumer's retry delay and, after the last attempt, dead-letters or drops it.
 *
 * <p>Threads: the handler only builds and signs the request, then hands the exchange to the JDK
 * {@link HttpClient} and registers its future with {@link QueueContext#waitUntil}, so the engine's
 * delivery thread is free at once; the batch settles when the future completes. Concurrency is
 * still bounded by the consumer's {@code maxConcurrency}, since an invocation lasts until its
 * future completes. The client's own threads are daemons named {@code queues4j-http-push-N},
 * stopped by {@link #close()}; after that every delivery fails (and is retried).
 */
final class PushDelivery implements QueueHandler<JsonNode>, AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(PushDelivery.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final W7sQueue queue;
  private final URI uri;
  private final InstantSource clock;
  private final ExecutorService executor;
  private final HttpClient client;
  private volatile boolean closed;

  PushDelivery(W7sQueue queue, InstantSource clock) {
    this.queue = queue;
    this.uri = queue.consumerUri().orElseThrow();
    this.clock = clock;
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "queues4j-http-push-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.client =
        HttpClient.newBuilder()
            .executor(executor)
            .connectTimeout(min(queue.deliveryTimeout(), Duration.ofSeconds(10)))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public void queue(MessageBatch<JsonNode> batch, QueueContext ctx) throws IOException {
    if (closed) {
      throw new IllegalStateException("the HTTP server of " + queue.engineQueueName() + " is closed");
    }
    byte[] payload = payload(batch);
    long now = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(queue.deliveryTimeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "queues4j-push")
            .header(PushSignature.HEADER, PushSignature.sign(queue.signingSecret(), now, payload))
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
            .build();
    int size = batch.messages().size();
    CompletableFuture<Void> delivered =
        client
            .sendAsync(request, HttpResponse.BodyHandlers.discarding())
            .orTimeout(queue.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .thenApply(
                response -> {
                  int status = response.statusCode();
                  if (status < 200 || status > 299) {
                    throw new CompletionException(
                        new IOException(
                            "consumer " + uri + " answered " + status + " to a batch of " + size));
                  }
                  return null;
                });
    CompletableFuture<Void> logged =
        delivered.whenComplete(
        (ok, failure) -> {
          if (failure != null) {
            logger.warn(
                "push of {} message(s) of {} to {} failed; the engine retries them: {}",
                size,
                queue.engineQueueName(),
                uri,
                describe(failure));
          }
        });
    ctx.waitUntil(logged);
  }

  private static String describe(Throwable failure) {
    Throwable f = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
    String message = f.getMessage();
    return f.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** W7S's batch: {@code queue}, {@code queueName}, and one entry per message. */
  byte[] payload(MessageBatch<JsonNode> batch) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1024);
    try (JsonGenerator g = MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("queue", queue.name());
      g.writeStringField("queueName", queue.wireQueueName());
      g.writeArrayFieldStart("messages");
      for (Message<JsonNode> m : batch.messages()) {
        JsonNode stored = m.body();
        g.writeStartObject();
        g.writeStringField("id", m.id()); // the id the sender got back from its send
        g.writeNumberField("attempts", m.attempts());
        g.writeStringField("timestamp", Timestamps.format(m.timestamp()));
        g.writeStringField("enqueuedAt", stored.path("enqueuedAt").asText());
        g.writeFieldName("caller");
        MAPPER.writeTree(g, stored.path("caller"));
        g.writeFieldName("body");
        MAPPER.writeTree(g, stored.path("body"));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
  }
}
