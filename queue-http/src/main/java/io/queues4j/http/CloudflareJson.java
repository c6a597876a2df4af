package io.queues4j.http;

import static io.queues4j.http.CloudflareErrors.invalid;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queues4j.QueueMetrics;
import io.queues4j.http.QueueBackend.ConsumerInfo;
import io.queues4j.http.QueueBackend.PullConsumer;
import io.queues4j.http.QueueBackend.QueueInfo;
import io.queues4j.http.QueueBackend.WorkerConsumer;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Reading request bodies and writing result objects of the Cloudflare face, in Cloudflare's field
 * names. Request bodies are strict JSON (no duplicate keys, no trailing content); unknown fields
 * are ignored, as Cloudflare does. Typed getters refuse a value of the wrong type or out of range
 * with 400 and code 10207, naming the field and the value.
 */
final class CloudflareJson {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private CloudflareJson() {}

  /** Parses a request body as a JSON object; an empty body is {@code {}}. */
  static ObjectNode object(byte[] body) throws HttpError {
    if (body.length == 0) {
      return MAPPER.createObjectNode();
    }
    JsonNode node;
    try (JsonParser p = MAPPER.createParser(body)) {
      node = MAPPER.readTree(p);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw CloudflareErrors.error(
          400,
          CloudflareErrors.BODY_MALFORMED,
          "the request body is not valid JSON"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
    } catch (IOException e) {
      throw CloudflareErrors.error(400, CloudflareErrors.BODY_MALFORMED, "the request body is not valid JSON");
    }
    if (node == null || node.isMissingNode()) {
      return MAPPER.createObjectNode();
    }
    if (!(node instanceof ObjectNode object)) {
      throw invalid("the request body must be a JSON object but was " + describe(node));
    }
    return object;
  }

  /**
   * Returns an optional integer field within a range. A whole number written with a fraction or an
   * exponent ({@code 5.0}, {@code 5e0}) counts; the range is checked before any conversion, so a
   * number like {@code 1e999999} costs nothing.
   */
  static OptionalInt optInt(JsonNode parent, String field, long min, long max) throws HttpError {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return OptionalInt.empty();
    }
    if (v.isNumber()) {
      BigDecimal d = v.decimalValue();
      if (d.compareTo(BigDecimal.valueOf(min)) >= 0
          && d.compareTo(BigDecimal.valueOf(max)) <= 0
          && (d.signum() == 0 || d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0)) {
        return OptionalInt.of(d.intValue());
      }
    }
    throw invalid(field + " must be an integer from " + min + " to " + max + " but was " + describe(v));
  }

  /** Returns an optional string field. */
  static @Nullable String optString(JsonNode parent, String field) throws HttpError {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid(field + " must be a string but was " + describe(v));
    }
    return v.textValue();
  }

  /** Returns an optional boolean field. */
  static @Nullable Boolean optBoolean(JsonNode parent, String field) throws HttpError {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw invalid(field + " must be true or false but was " + describe(v));
    }
    return v.booleanValue();
  }

  /** Returns an optional object field, or null. */
  static @Nullable JsonNode optObject(JsonNode parent, String field) throws HttpError {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw invalid(field + " must be an object but was " + describe(v));
    }
    return v;
  }

  /** Returns an optional array field, or null. */
  static @Nullable JsonNode optArray(JsonNode parent, String field) throws HttpError {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw invalid(field + " must be an array but was " + describe(v));
    }
    return v;
  }

  /** A short description of a JSON value for an error message: its type, and its text if short. */
  static String describe(JsonNode v) {
    if (v.isObject()) {
      return "an object";
    }
    if (v.isArray()) {
      return "an array";
    }
    if (v.isTextual()) {
      return "the string \"" + RootHandler.truncate(v.textValue()) + "\"";
    }
    return RootHandler.truncate(v.toString());
  }

  /** Writes the success envelope around a result. */
  static byte[] success(Exchange.@Nullable JsonBody result) {
    return Exchange.json(
        g -> {
          g.writeStartObject();
          g.writeBooleanField("success", true);
          g.writeArrayFieldStart("errors");
          g.writeEndArray();
          g.writeArrayFieldStart("messages");
          g.writeEndArray();
          if (result != null) {
            g.writeFieldName("result");
            result.write(g);
          }
          g.writeEndObject();
        });
  }

  static void writeQueue(JsonGenerator g, QueueInfo q) throws IOException {
    g.writeStartObject();
    g.writeStringField("queue_id", q.id());
    g.writeStringField("queue_name", q.name());
    g.writeStringField("created_on", Timestamps.format(q.createdOn()));
    g.writeStringField("modified_on", Timestamps.format(q.modifiedOn()));
    g.writeArrayFieldStart("producers");
    g.writeEndArray();
    g.writeNumberField("producers_total_count", 0);
    g.writeArrayFieldStart("consumers");
    for (ConsumerInfo c : q.consumers()) {
      writeConsumer(g, c);
    }
    g.writeEndArray();
    g.writeNumberField("consumers_total_count", q.consumers().size());
    g.writeObjectFieldStart("settings");
    g.writeNumberField("delivery_delay", q.config().deliveryDelay().toSeconds());
    g.writeBooleanField("delivery_paused", q.config().deliveryPaused());
    g.writeNumberField("message_retention_period", q.config().retentionPeriod().toSeconds());
    g.writeEndObject();
    g.writeEndObject();
  }

  static void writeConsumer(JsonGenerator g, ConsumerInfo c) throws IOException {
    g.writeStartObject();
    g.writeStringField("consumer_id", c.id());
    g.writeStringField("queue_id", c.queueId());
    g.writeStringField("queue_name", c.queueName());
    g.writeStringField("created_on", Timestamps.format(c.createdOn()));
    if (c instanceof PullConsumer p) {
      g.writeStringField("type", "http_pull");
      g.writeStringField("dead_letter_queue", p.settings().deadLetterQueue().orElse(""));
      g.writeObjectFieldStart("settings");
      g.writeNumberField("batch_size", p.settings().batchSize());
      g.writeNumberField("max_retries", p.settings().maxRetries());
      g.writeNumberField("retry_delay", p.settings().retryDelay().toSeconds());
      g.writeNumberField("visibility_timeout_ms", p.settings().visibilityTimeout().toMillis());
      g.writeEndObject();
    } else if (c instanceof WorkerConsumer w) {
      g.writeStringField("type", "worker");
      g.writeStringField("script_name", w.scriptName());
      g.writeStringField("dead_letter_queue", w.deadLetterQueue().orElse(""));
      g.writeObjectFieldStart("settings");
      g.writeNumberField("batch_size", w.batchSize());
      if (w.maxConcurrency().isPresent()) {
        g.writeNumberField("max_concurrency", w.maxConcurrency().getAsInt());
      } else {
        g.writeNullField("max_concurrency");
      }
      g.writeNumberField("max_retries", w.maxRetries());
      g.writeNumberField("max_wait_time_ms", w.maxWaitTime().toMillis());
      g.writeNumberField("retry_delay", w.retryDelay().toSeconds());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  static void writeMetrics(JsonGenerator g, QueueMetrics m) throws IOException {
    g.writeStartObject();
    g.writeNumberField("backlog_bytes", m.backlogBytes());
    g.writeNumberField("backlog_count", m.backlogCount());
    g.writeNumberField("oldest_message_timestamp_ms", m.oldestMessageTimestamp());
    g.writeEndObject();
  }

  /** {@code {"metadata":{"metrics":{...}}}}, the result of a push. */
  static void writeMetadata(JsonGenerator g, QueueMetrics m) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("metadata");
    g.writeFieldName("metrics");
    writeMetrics(g, m);
    g.writeEndObject();
    g.writeEndObject();
  }
}
