package io.queues4j.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.queues4j.core.ConsumerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads one consumer: a {@code [[queues.consumers]]} entry of a wrangler file, or a queue object
 * of a {@code w7s.json}. Every range check is the engine's, through {@link ConsumerSettings.Builder}.
 */
final class ConsumerReader {
  /** The keys of wrangler's {@code [[queues.consumers]]}. */
  static final List<String> WRANGLER_KEYS =
      List.of(
          "queue",
          "type",
          "max_batch_size",
          "max_batch_timeout",
          "max_retries",
          "dead_letter_queue",
          "max_concurrency",
          "visibility_timeout_ms",
          "retry_delay");

  /** The keys of a queue object in {@code w7s.json}: its name, path and wrangler's settings. */
  static final List<String> W7S_KEYS =
      List.of(
          "name",
          "consumer",
          "max_batch_size",
          "max_batch_timeout",
          "max_retries",
          "dead_letter_queue",
          "max_concurrency",
          "retry_delay");

  /**
   * Cloudflare's default visibility timeout of a pull consumer. The engine has no pull consumers,
   * so this constant and the range below are queues4j's own (Cloudflare: default 30 s, at most
   * 12 hours).
   */
  static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

  /** The longest visibility timeout Cloudflare allows: 12 hours, in milliseconds. */
  static final long MAX_VISIBILITY_TIMEOUT_MS = 43_200_000L;

  private ConsumerReader() {}

  /** Reads a {@code [[queues.consumers]]} table; returns null if it has errors. */
  static @Nullable ConsumerDeclaration wrangler(Table t, ConfigProfile profile) {
    t.checkKeys(WRANGLER_KEYS);
    String queue = t.requiredString("queue", "the name of the queue to consume");
    ConsumerType type = type(t);
    ConsumerSettings.Builder b = ConsumerSettings.builder();
    boolean ok = settings(t, b, profile, queue, type == null ? ConsumerType.WORKER : type);
    Duration visibility = visibilityTimeout(t, type == null ? ConsumerType.WORKER : type);
    if (!ok || queue == null || type == null || visibility == null) {
      return null;
    }
    Optional<Duration> timeout =
        type == ConsumerType.HTTP_PULL ? Optional.of(visibility) : Optional.empty();
    return new ConsumerDeclaration(queue, type, b.build(), timeout, Optional.empty());
  }

  /**
   * Reads the settings keys shared by wrangler and W7S consumers into {@code b}.
   *
   * @param queue the consumed queue, or null if its key was bad
   * @return whether every key was valid
   */
  static boolean settings(
      Table t, ConsumerSettings.Builder b, ConfigProfile profile, @Nullable String queue,
      ConsumerType type) {
    Report r = t.report;
    boolean ok = true;
    Long size = t.wholeNumber("max_batch_size", "a whole number");
    if (size != null) {
      ok &= apply(t, "max_batch_size", () -> b.maxBatchSize(Table.clampToInt(size)));
    } else {
      ok &= !t.has("max_batch_size");
    }
    if (t.has("max_batch_timeout") && type == ConsumerType.HTTP_PULL) {
      r.warn(t.path("max_batch_timeout"), "max_batch_timeout has no effect on an http_pull"
          + " consumer (clients pull when they are ready); ignored");
    } else {
      Duration timeout = t.seconds("max_batch_timeout");
      if (timeout != null) {
        ok &= apply(t, "max_batch_timeout", () -> b.maxBatchTimeout(timeout));
      } else {
        ok &= !t.has("max_batch_timeout");
      }
    }
    Long retries = t.wholeNumber("max_retries", "a whole number");
    if (retries != null) {
      ok &= apply(t, "max_retries", () -> b.maxRetries(Table.clampToInt(retries)));
    } else {
      ok &= !t.has("max_retries");
    }
    Long retryDelay = t.wholeNumber("retry_delay", "whole seconds");
    if (retryDelay != null) {
      ok &= apply(t, "retry_delay", () -> b.retryDelay(Duration.ofSeconds(retryDelay)));
    } else {
      ok &= !t.has("retry_delay");
    }
    ok &= deadLetterQueue(t, b, queue);
    ok &= maxConcurrency(t, b, profile, type);
    return ok;
  }

  private static boolean deadLetterQueue(Table t, ConsumerSettings.Builder b, @Nullable String queue) {
    if (!t.has("dead_letter_queue")) {
      return true;
    }
    String dlq = t.string("dead_letter_queue");
    if (dlq == null) {
      return false;
    }
    if (dlq.equals(queue)) {
      t.report.error(t.path("dead_letter_queue"), "dead_letter_queue = \"" + dlq + "\" is the"
          + " consumed queue itself; a dead-letter queue must be another queue");
      return false;
    }
    return apply(t, "dead_letter_queue", () -> b.deadLetterQueue(dlq));
  }

  private static boolean maxConcurrency(
      Table t, ConsumerSettings.Builder b, ConfigProfile profile, ConsumerType type) {
    JsonNode value = t.node.get("max_concurrency");
    if (value == null || value.isNull()) {
      return true; // wrangler: null or absent means "scale to the supported maximum"
    }
    if (profile == ConfigProfile.WDL) {
      t.report.error(t.path("max_concurrency"), "max_concurrency is not supported by the WDL"
          + " profile: the WDL runtime rejects it at deploy time; remove it");
      return false;
    }
    if (type == ConsumerType.HTTP_PULL) {
      t.report.warn(t.path("max_concurrency"), "max_concurrency has no effect on an http_pull"
          + " consumer (it applies to push consumers only); ignored");
      return true;
    }
    Long n = t.wholeNumber("max_concurrency", "a whole number");
    return n != null && apply(t, "max_concurrency", () -> b.maxConcurrency(Table.clampToInt(n)));
  }

  private static @Nullable ConsumerType type(Table t) {
    if (!t.has("type")) {
      return ConsumerType.WORKER;
    }
    String type = t.string("type");
    if (type == null) {
      return null;
    }
    for (ConsumerType candidate : ConsumerType.values()) {
      if (candidate.fileName().equals(type)) {
        return candidate;
      }
    }
    t.report.error(t.path("type"), "type must be \"worker\" or \"http_pull\" but was \"" + type
        + "\"");
    return null;
  }

  /** Returns the visibility timeout (the default if absent), or null if the key is bad. */
  private static @Nullable Duration visibilityTimeout(Table t, ConsumerType type) {
    if (!t.has("visibility_timeout_ms")) {
      return DEFAULT_VISIBILITY_TIMEOUT;
    }
    Long ms = t.wholeNumber("visibility_timeout_ms", "a whole number of milliseconds");
    if (ms == null) {
      return null;
    }
    if (ms < 1 || ms > MAX_VISIBILITY_TIMEOUT_MS) {
      t.report.error(t.path("visibility_timeout_ms"), "visibility_timeout_ms = " + ms
          + " is out of range: it must be in [1, " + MAX_VISIBILITY_TIMEOUT_MS
          + "] milliseconds (12 hours)");
      return null;
    }
    if (type == ConsumerType.WORKER) {
      t.report.warn(t.path("visibility_timeout_ms"), "visibility_timeout_ms has no effect on a"
          + " worker consumer (it applies to type = \"http_pull\"); ignored");
    }
    return Duration.ofMillis(ms);
  }

  private static boolean apply(Table t, String key, Runnable builderCall) {
    JsonNode value = t.node.get(key);
    String written = value == null ? "?" : Table.written(value);
    return t.report.apply(t.path(key), written, builderCall);
  }
}
