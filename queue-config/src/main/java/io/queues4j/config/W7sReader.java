package io.queues4j.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.queues4j.core.ConsumerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads the queues of a W7S app's {@code w7s.json}: {@code "queues"} (names, or objects with a
 * {@code name}, a {@code consumer} path and consumer settings), the {@code "queue": {"allow":
 * [...]}} allowlist and the {@code "queues4j"} object. W7S's other keys ({@code bindings}, ...)
 * are left alone. A W7S file has no environments: W7S deploys the same file to every branch
 * environment, so a selected environment changes nothing.
 */
final class W7sReader {
  static final List<String> QUEUE_KEYS = List.of("allow");

  private W7sReader() {}

  /**
   * The defaults of W7S-created consumers: "batch size 10, max retries 3, and retry delay 10
   * seconds"; the batch timeout is the engine's default.
   */
  static ConsumerSettings.Builder defaults() {
    return ConsumerSettings.builder()
        .maxBatchSize(10)
        .maxRetries(3)
        .retryDelay(Duration.ofSeconds(10));
  }

  static QueueConfig read(Table root, ConfigLoader.Options options) {
    Report r = root.report;
    Queues4jTable q4j = Queues4jTable.read(root, options.profile());
    Declarations declarations = new Declarations(r);
    ArrayNode queues =
        root.array("queues", "an array of queue names or {\"name\": ..., \"consumer\": ...}"
            + " objects");
    if (queues != null) {
      for (int i = 0; i < queues.size(); i++) {
        queue(queues.get(i), Locations.element("queues", i), q4j.profile, declarations);
      }
    }
    allowlist(root, declarations);
    return declarations.finish(ConfigFormat.W7S_JSON, q4j, options.environment());
  }

  private static void queue(
      JsonNode value, String path, ConfigProfile profile, Declarations declarations) {
    Report r = declarations.report();
    if (value.isTextual()) {
      String name = value.asText();
      if (name.isBlank()) {
        r.error(path, "a queue name must not be empty");
      } else {
        declarations.consumer(path, declaration(name, defaults().build(), defaultPath(name)));
      }
      return;
    }
    Table q = Table.of(value, path, r, "a queue name or a {\"name\": ..., \"consumer\": ...}"
        + " object");
    if (q == null) {
      return;
    }
    q.checkKeys(ConsumerReader.W7S_KEYS);
    String name = q.requiredString("name", "the queue's name");
    String consumerPath = name == null ? null : defaultPath(name);
    if (q.has("consumer")) {
      consumerPath = q.string("consumer");
      if (consumerPath != null && !consumerPath.startsWith("/")) {
        r.error(q.path("consumer"), "consumer must be a path starting with \"/\" but was \""
            + consumerPath + "\"");
        consumerPath = null;
      }
    }
    ConsumerSettings.Builder b = defaults();
    boolean ok = ConsumerReader.settings(q, b, profile, name, ConsumerType.WORKER);
    if (ok && name != null && consumerPath != null) {
      declarations.consumer(path, declaration(name, b.build(), consumerPath));
    }
  }

  private static String defaultPath(String queue) {
    return "/_w7s/queues/" + queue;
  }

  private static ConsumerDeclaration declaration(
      String queue, ConsumerSettings settings, String path) {
    return new ConsumerDeclaration(
        queue, ConsumerType.WORKER, settings, Optional.empty(), Optional.of(path));
  }

  private static void allowlist(Table root, Declarations declarations) {
    Report r = declarations.report();
    JsonNode value = root.node.get("queue");
    if (value == null) {
      return;
    }
    if (value.isArray() || value.isTextual()) {
      r.error("queue", "must be an object like {\"allow\": [\"owner\", \"owner/repo\"]} but was "
          + Table.describe(value) + "; to declare queues, use \"queues\"");
      return;
    }
    Table queue = Table.of(value, "queue", r, "an object like {\"allow\": [...]}");
    if (queue == null) {
      return;
    }
    queue.checkKeys(QUEUE_KEYS);
    ArrayNode allow = queue.array("allow", "an array of \"owner\" or \"owner/repo\" strings");
    if (allow == null) {
      return;
    }
    for (int i = 0; i < allow.size(); i++) {
      JsonNode entry = allow.get(i);
      String at = Locations.element(queue.path("allow"), i);
      if (!entry.isTextual()) {
        r.error(at, "an allow entry must be a string \"owner\" or \"owner/repo\" but was "
            + Table.describe(entry));
        continue;
      }
      try {
        declarations.allow(AllowEntry.parse(entry.asText()));
      } catch (IllegalArgumentException e) {
        r.error(at, String.valueOf(e.getMessage()));
      }
    }
  }
}
