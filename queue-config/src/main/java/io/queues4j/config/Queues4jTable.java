package io.queues4j.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The file's {@code [queues4j]} table (TOML) or {@code "queues4j": {...}} object (JSON): the
 * settings wrangler keeps outside the file (queue-level delivery delay and retention, set with
 * {@code wrangler queues update}) and queues4j's own (dead-letter capacity, backlog limits,
 * handler timeout, profile).
 *
 * <pre>{@code
 * [queues4j]
 * profile = "wdl"                      # or "cloudflare" (the default)
 * [queues4j.queues.jobs]
 * delivery_delay = 30                  # whole seconds
 * message_retention_period = 345600    # whole seconds
 * dead_letter_capacity = 10000
 * max_backlog_bytes = 10000000
 * max_backlog_messages = 100000
 * [queues4j.consumers.jobs]
 * handler_timeout = 300                # seconds, millisecond precision
 * }</pre>
 */
final class Queues4jTable {
  static final String KEY = "queues4j";
  /** The table's keys; {@code server} is queue-server's table, which that module reads and checks. */
  static final List<String> KEYS = List.of("profile", "queues", "consumers", "server");
  static final List<String> QUEUE_KEYS =
      List.of(
          "delivery_delay",
          "message_retention_period",
          "dead_letter_capacity",
          "max_backlog_bytes",
          "max_backlog_messages");
  static final List<String> CONSUMER_KEYS = List.of("handler_timeout");

  /** The profile in force. */
  final ConfigProfile profile;

  /** Queue settings by queue name, for the queues the table names. */
  final Map<String, QueueSettings> queues = new LinkedHashMap<>();

  /** Handler timeouts by consumed queue. */
  final Map<String, Duration> handlerTimeouts = new LinkedHashMap<>();

  private Queues4jTable(ConfigProfile profile) {
    this.profile = profile;
  }

  /**
   * Reads the table of the file's root; an absent table gives the profile and no settings.
   *
   * @param chosen the loader's profile, which wins over the file's; null to let the file choose
   */
  static Queues4jTable read(Table root, @Nullable ConfigProfile chosen) {
    JsonNode value = root.node.get(KEY);
    Table t = value == null ? null : Table.of(value, KEY, root.report, "a table of queues4j"
        + " settings ([queues4j])");
    ConfigProfile fileProfile = t == null ? null : profile(t);
    Queues4jTable result =
        new Queues4jTable(
            chosen != null ? chosen : fileProfile != null ? fileProfile : ConfigProfile.CLOUDFLARE);
    if (t == null) {
      return result;
    }
    t.checkKeys(KEYS);
    Table queues = t.table("queues", "a table of queues by name ([queues4j.queues.<name>])");
    if (queues != null) {
      for (String name : queues.keys()) {
        Table q = queues.table(name, "a table of queue settings ([queues4j.queues." + name + "])");
        if (name.isBlank()) {
          queues.report.error(queues.path(name), "a queue name must not be blank");
        } else if (q != null) {
          result.queues.put(name, result.queueSettings(q));
        }
      }
    }
    Table consumers =
        t.table("consumers", "a table of consumers by queue ([queues4j.consumers.<queue>])");
    if (consumers != null) {
      for (String queue : consumers.keys()) {
        Table c =
            consumers.table(
                queue, "a table of consumer settings ([queues4j.consumers." + queue + "])");
        Duration timeout = c == null ? null : handlerTimeout(c);
        if (timeout != null) {
          result.handlerTimeouts.put(queue, timeout);
        }
      }
    }
    return result;
  }

  /** Returns the default settings of a queue the table does not name. */
  QueueSettings defaults() {
    return defaultsBuilder().build();
  }

  private QueueSettings.Builder defaultsBuilder() {
    QueueSettings.Builder b = QueueSettings.builder();
    if (profile == ConfigProfile.WDL) {
      b.deadLetterCapacity(ConfigProfile.WDL_DEAD_LETTER_RING);
    }
    return b;
  }

  private QueueSettings queueSettings(Table q) {
    q.checkKeys(QUEUE_KEYS);
    QueueSettings.Builder b = defaultsBuilder();
    Long delay = q.wholeNumber("delivery_delay", "whole seconds");
    if (delay != null) {
      apply(q, "delivery_delay", () -> b.deliveryDelay(Duration.ofSeconds(delay)));
    }
    Long retention = q.wholeNumber("message_retention_period", "whole seconds");
    if (retention != null) {
      apply(q, "message_retention_period", () -> b.retentionPeriod(Duration.ofSeconds(retention)));
    }
    Long capacity = q.wholeNumber("dead_letter_capacity", "a whole number");
    if (capacity != null) {
      apply(q, "dead_letter_capacity", () -> b.deadLetterCapacity(Table.clampToInt(capacity)));
    }
    Long bytes = q.wholeNumber("max_backlog_bytes", "a whole number");
    if (bytes != null) {
      apply(q, "max_backlog_bytes", () -> b.maxBacklogBytes(bytes));
    }
    Long messages = q.wholeNumber("max_backlog_messages", "a whole number");
    if (messages != null) {
      apply(q, "max_backlog_messages", () -> b.maxBacklogMessages(messages));
    }
    return b.build();
  }

  /** Reads a consumer's handler timeout, checked by {@code ConsumerSettings.Builder}. */
  private static @Nullable Duration handlerTimeout(Table c) {
    c.checkKeys(CONSUMER_KEYS);
    Duration timeout = c.seconds("handler_timeout");
    if (timeout == null) {
      return null;
    }
    boolean valid =
        c.report.apply(
            c.path("handler_timeout"),
            Table.written(c.node.get("handler_timeout")),
            () -> ConsumerSettings.builder().handlerTimeout(timeout));
    return valid ? timeout : null;
  }

  private static @Nullable ConfigProfile profile(Table t) {
    String name = t.string("profile");
    if (name == null) {
      return null;
    }
    for (ConfigProfile p : ConfigProfile.values()) {
      if (p.fileName().equals(name)) {
        return p;
      }
    }
    t.report.error(t.path("profile"), "profile must be \"cloudflare\" or \"wdl\" but was \"" + name
        + "\"");
    return null;
  }

  private static void apply(Table t, String key, Runnable builderCall) {
    t.report.apply(t.path(key), Table.written(t.node.get(key)), builderCall);
  }
}
