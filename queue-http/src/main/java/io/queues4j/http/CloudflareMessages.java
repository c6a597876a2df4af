package io.queues4j.http;

import static io.queues4j.http.CloudflareErrors.error;
import static io.queues4j.http.CloudflareErrors.invalid;
import static io.queues4j.http.CloudflareJson.optArray;
import static io.queues4j.http.CloudflareJson.optInt;
import static io.queues4j.http.CloudflareJson.optString;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queues4j.QueueContentType;
import io.queues4j.http.QueueBackend.AckResult;
import io.queues4j.http.QueueBackend.OutgoingMessage;
import io.queues4j.http.QueueBackend.PullResult;
import io.queues4j.http.QueueBackend.PulledMessage;
import io.queues4j.http.QueueBackend.Retry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;

/**
 * The message routes of the Cloudflare face: push one, push a batch, pull with a lease, and
 * ack/retry by lease.
 *
 * <p>Bodies on the wire, as Cloudflare's: a {@code json} message's {@code body} is any JSON value
 * (stored as its compact JSON text), {@code text} a string, {@code bytes} a base64 string (RFC
 * 4648). Pulled {@code json}, {@code bytes} and {@code v8} bodies are base64 of the stored bytes,
 * {@code text} bodies the string itself; {@code metadata["CF-Content-Type"]} names the type. A
 * message's size is its stored body in bytes: at most 128,000; a batch at most 100 messages and
 * 256,000 bytes.
 */
final class CloudflareMessages {
  static final int MAX_MESSAGE_BYTES = 128_000;
  static final int MAX_BATCH_BYTES = 256_000;
  static final int MAX_BATCH_COUNT = 100;
  static final int MAX_DELAY_SECONDS = 86_400;
  static final int MAX_VISIBILITY_MS = 43_200_000;
  static final int MAX_SETTLEMENTS = 1_000;
  static final int MAX_LEASE_ID_LENGTH = 1_024;

  private final CloudflareFace face;
  private final QueueBackend backend;
  private final RateLimiter rateLimiter;

  CloudflareMessages(CloudflareFace face, QueueBackend backend, RateLimiter rateLimiter) {
    this.face = face;
    this.backend = backend;
    this.rateLimiter = rateLimiter;
  }

  void addRoutes(Router router) {
    router.add("POST", CloudflareFace.QUEUE + "/messages", true, this::push);
    router.add("POST", CloudflareFace.QUEUE + "/messages/batch", true, this::pushBatch);
    router.add("POST", CloudflareFace.QUEUE + "/messages/pull", true, this::pull);
    router.add("POST", CloudflareFace.QUEUE + "/messages/ack", true, this::ack);
  }

  private void push(Exchange ex) throws HttpError {
    String queueId = face.queueId(ex);
    Caller caller = ex.caller();
    CloudflareFace.withBody(
        ex,
        body -> {
          OutgoingMessage m = message(body, "", OptionalInt.empty());
          rateLimiter.acquire(caller);
          send(ex, queueId, List.of(m));
        });
  }

  private void pushBatch(Exchange ex) throws HttpError {
    String queueId = face.queueId(ex);
    Caller caller = ex.caller();
    CloudflareFace.withBody(
        ex,
        body -> {
          OptionalInt batchDelay;
          try {
            batchDelay = optInt(body, "delay_seconds", 0, MAX_DELAY_SECONDS);
          } catch (HttpError e) {
            throw error(400, CloudflareErrors.BATCH_DELAY_INVALID, String.valueOf(e.getMessage()));
          }
          JsonNode list = optArray(body, "messages");
          if (list == null) {
            throw invalid("messages is required: an array of 1 to " + MAX_BATCH_COUNT + " messages");
          }
          if (list.isEmpty() || list.size() > MAX_BATCH_COUNT) {
            throw error(
                400,
                CloudflareErrors.BATCH_COUNT,
                "a batch must have 1 to " + MAX_BATCH_COUNT + " messages but had " + list.size());
          }
          List<OutgoingMessage> batch = new ArrayList<>(list.size());
          long total = 0;
          for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (!item.isObject()) {
              throw invalid("messages[" + i + "] must be an object but was " + CloudflareJson.describe(item));
            }
            OutgoingMessage m = message(item, "messages[" + i + "].", batchDelay);
            total += m.body().length;
            batch.add(m);
          }
          if (total > MAX_BATCH_BYTES) {
            throw error(
                413,
                CloudflareErrors.BATCH_SIZE,
                "the batch's bodies total " + total + " bytes, over the limit of " + MAX_BATCH_BYTES
                    + " bytes");
          }
          rateLimiter.acquire(caller);
          send(ex, queueId, batch);
        });
  }

  private void send(Exchange ex, String queueId, List<OutgoingMessage> batch) {
    backend
        .send(queueId, batch)
        .whenComplete(
            (metrics, failure) -> {
              if (failure != null) {
                ex.failWith(CloudflareErrors.ofFailure(failure, true));
              } else {
                CloudflareFace.ok(ex, g -> CloudflareJson.writeMetadata(g, metrics));
              }
            });
  }

  /** Reads one message: {@code body}, {@code content_type}, {@code delay_seconds}. */
  static OutgoingMessage message(JsonNode m, String where, OptionalInt defaultDelay)
      throws HttpError {
    String type;
    OptionalInt delay;
    try {
      type = optString(m, "content_type");
      delay = optInt(m, "delay_seconds", 0, MAX_DELAY_SECONDS);
    } catch (HttpError e) {
      throw error(400, CloudflareErrors.MESSAGE_METADATA_INVALID, where + e.getMessage());
    }
    JsonNode body = m.get("body");
    if (body == null) {
      throw invalid(where + "body is required");
    }
    QueueContentType contentType;
    byte[] bytes;
    String declared = type == null ? "json" : type;
    switch (declared) {
      case "json" -> {
        contentType = QueueContentType.JSON;
        try {
          bytes = CloudflareJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
          throw invalid(where + "body cannot be encoded as JSON");
        }
      }
      case "text" -> {
        if (!body.isTextual()) {
          throw metadata(where + "body must be a string for content_type \"text\" but was "
              + CloudflareJson.describe(body));
        }
        contentType = QueueContentType.TEXT;
        bytes = body.textValue().getBytes(StandardCharsets.UTF_8);
      }
      case "bytes" -> {
        if (!body.isTextual()) {
          throw metadata(where + "body must be a base64 string for content_type \"bytes\" but was "
              + CloudflareJson.describe(body));
        }
        contentType = QueueContentType.BYTES;
        try {
          bytes = Base64.getDecoder().decode(body.textValue());
        } catch (IllegalArgumentException e) {
          throw metadata(where + "body is not valid base64 (RFC 4648): " + e.getMessage());
        }
      }
      case "v8" -> throw metadata(
          where + "content_type \"v8\" (a JavaScript structured clone) cannot be sent over HTTP");
      default -> throw metadata(
          where + "content_type must be \"json\", \"text\" or \"bytes\" but was \""
              + RootHandler.truncate(declared) + "\"");
    }
    if (bytes.length > MAX_MESSAGE_BYTES) {
      throw error(
          413,
          CloudflareErrors.MESSAGE_SIZE,
          where + "body of " + bytes.length + " bytes exceeds the limit of " + MAX_MESSAGE_BYTES
              + " bytes");
    }
    return new OutgoingMessage(bytes, contentType, delay.isPresent() ? delay : defaultDelay);
  }

  private static HttpError metadata(String message) {
    return error(400, CloudflareErrors.MESSAGE_METADATA_INVALID, message);
  }

  private void pull(Exchange ex) throws HttpError {
    String queueId = face.queueId(ex);
    CloudflareFace.withBody(
        ex,
        body -> {
          OptionalInt batchSize = optInt(body, "batch_size", 1, MAX_BATCH_COUNT);
          OptionalInt visibility = optInt(body, "visibility_timeout_ms", 1, MAX_VISIBILITY_MS);
          OptionalInt legacy = optInt(body, "visibility_timeout", 1, MAX_VISIBILITY_MS);
          if (visibility.isPresent() && legacy.isPresent()) {
            throw invalid("give visibility_timeout_ms or its old name visibility_timeout, not both");
          }
          OptionalInt ms = visibility.isPresent() ? visibility : legacy;
          Optional<Duration> timeout =
              ms.isPresent() ? Optional.of(Duration.ofMillis(ms.getAsInt())) : Optional.empty();
          CompletionStage<PullResult> pulled = backend.pull(queueId, batchSize, timeout);
          pulled.whenComplete(
              (result, failure) -> {
                if (failure != null) {
                  ex.failWith(CloudflareErrors.ofFailure(failure, true));
                } else {
                  CloudflareFace.ok(ex, g -> writePull(g, result));
                }
              });
        });
  }

  private static void writePull(JsonGenerator g, PullResult result) throws IOException {
    g.writeStartObject();
    g.writeNumberField("message_backlog_count", result.metrics().backlogCount());
    g.writeArrayFieldStart("messages");
    Base64.Encoder base64 = Base64.getEncoder();
    for (PulledMessage m : result.messages()) {
      g.writeStartObject();
      g.writeStringField("id", m.id());
      g.writeStringField(
          "body",
          m.contentType() == QueueContentType.TEXT
              ? new String(m.body(), StandardCharsets.UTF_8)
              : base64.encodeToString(m.body()));
      g.writeNumberField("timestamp_ms", m.timestamp().toEpochMilli());
      g.writeNumberField("attempts", m.attempts());
      g.writeStringField("lease_id", m.leaseId());
      g.writeObjectFieldStart("metadata");
      g.writeStringField("CF-Content-Type", m.contentType().wireName());
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeObjectFieldStart("metadata");
    g.writeFieldName("metrics");
    CloudflareJson.writeMetrics(g, result.metrics());
    g.writeEndObject();
    g.writeEndObject();
  }

  private void ack(Exchange ex) throws HttpError {
    String queueId = face.queueId(ex);
    CloudflareFace.withBody(
        ex,
        body -> {
          List<String> acks = new ArrayList<>();
          List<Retry> retries = new ArrayList<>();
          JsonNode ackList = optArray(body, "acks");
          JsonNode retryList = optArray(body, "retries");
          int count = (ackList == null ? 0 : ackList.size()) + (retryList == null ? 0 : retryList.size());
          if (count > MAX_SETTLEMENTS) {
            throw invalid(
                "an ack request settles at most " + MAX_SETTLEMENTS + " leases but had " + count);
          }
          if (ackList != null) {
            for (int i = 0; i < ackList.size(); i++) {
              acks.add(leaseId(ackList.get(i), "acks[" + i + "]"));
            }
          }
          if (retryList != null) {
            for (int i = 0; i < retryList.size(); i++) {
              JsonNode r = retryList.get(i);
              String lease = leaseId(r, "retries[" + i + "]");
              OptionalInt delay = optInt(r, "delay_seconds", 0, MAX_DELAY_SECONDS);
              retries.add(new Retry(lease, delay));
            }
          }
          backend
              .ack(queueId, acks, retries)
              .whenComplete(
                  (result, failure) -> {
                    if (failure != null) {
                      ex.failWith(CloudflareErrors.ofFailure(failure, true));
                    } else {
                      CloudflareFace.ok(ex, g -> writeAck(g, result));
                    }
                  });
        });
  }

  private static String leaseId(JsonNode entry, String where) throws HttpError {
    if (!(entry instanceof ObjectNode)) {
      throw invalid(where + " must be an object with a lease_id but was " + CloudflareJson.describe(entry));
    }
    String lease = optString(entry, "lease_id");
    if (lease == null || lease.isEmpty() || lease.length() > MAX_LEASE_ID_LENGTH) {
      throw invalid(
          where + ".lease_id must be a string of 1 to " + MAX_LEASE_ID_LENGTH + " characters but was "
              + (lease == null ? "missing" : lease.length() + " characters"));
    }
    return lease;
  }

  private static void writeAck(JsonGenerator g, AckResult result) throws IOException {
    g.writeStartObject();
    g.writeNumberField("ackCount", result.acked());
    g.writeNumberField("retryCount", result.retried());
    g.writeObjectFieldStart("warnings");
    for (Map.Entry<String, String> w : result.warnings().entrySet()) {
      g.writeStringField(w.getKey(), w.getValue());
    }
    g.writeEndObject();
    g.writeEndObject();
  }
}
