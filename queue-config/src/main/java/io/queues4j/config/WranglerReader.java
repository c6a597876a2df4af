package io.queues4j.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the queues of a wrangler file ({@code wrangler.toml}, {@code wrangler.json}, {@code
 * wrangler.jsonc}): {@code [[queues.producers]]}, {@code [[queues.consumers]]}, the selected
 * {@code [env.<name>]} and the {@code [queues4j]} table. Other wrangler keys are not queues4j's
 * business and are left alone.
 */
final class WranglerReader {
  static final List<String> QUEUES_KEYS = List.of("producers", "consumers");
  static final List<String> PRODUCER_KEYS = List.of("binding", "queue", "delivery_delay", "remote");

  private WranglerReader() {}

  static QueueConfig read(Table root, ConfigFormat format, ConfigLoader.Options options) {
    Report r = root.report;
    Queues4jTable q4j = Queues4jTable.read(root, options.profile());
    Declarations declarations = new Declarations(r);
    misspelt(root);
    Table env = selectEnvironment(root, options.environment());
    if (env == null) {
      JsonNode queues = root.node.get("queues");
      if (queues != null) {
        readQueues(queues, "queues", q4j.profile, declarations);
      }
    } else {
      JsonNode top = root.node.get("queues");
      if (top != null) { // still checked, though the environment does not use it
        readQueues(top, "queues", q4j.profile, new Declarations(r));
      }
      misspelt(env);
      JsonNode queues = env.node.get("queues");
      if (queues != null) {
        readQueues(queues, env.path("queues"), q4j.profile, declarations);
      } else if (top != null) {
        r.warn(env.path, "\"queues\" is declared at the top level but not in " + env.path
            + ", and environments do not inherit it: this environment declares no queues. Add"
            + " a queues table to " + env.path + ".");
      }
      if (env.has(Queues4jTable.KEY)) {
        r.error(env.path(Queues4jTable.KEY), "the queues4j table applies to every environment by"
            + " queue name; move it to the top level");
      }
    }
    return declarations.finish(format, q4j, options.environment());
  }

  /** Returns the selected environment's table, or null to read the top level. */
  private static @Nullable Table selectEnvironment(Table root, @Nullable String name) {
    Table envs = root.table("env", "a table of environments ([env.<name>])");
    if (name == null) {
      return null;
    }
    List<String> names = envs == null ? List.of() : envs.keys();
    if (envs == null || names.isEmpty()) {
      // As wrangler does when a file has no environments at all: warn and use the top level.
      root.report.warn("", "no environment named \"" + name + "\": the file defines no"
          + " environments, so the top level is used");
      return null;
    }
    if (!envs.has(name)) {
      root.report.error("env", "no environment named \"" + name + "\""
          + Declarations.suggestion(name, names) + "; the file defines: "
          + String.join(", ", names));
      return null;
    }
    return envs.table(name, "a table of environment settings ([env." + name + "])");
  }

  /** Flags a near miss of "queues" among a table's keys, which wrangler would also not read. */
  private static void misspelt(Table t) {
    for (String key : t.keys()) {
      if (!key.equals("queues") && !key.equals(Queues4jTable.KEY)
          && (Spelling.distance(key, "queues") <= 1 || Spelling.distance(key, "queues4j") <= 1)) {
        t.report.unknownKey(t.path, key, List.of("queues", Queues4jTable.KEY));
      }
    }
  }

  private static void readQueues(
      JsonNode value, String path, ConfigProfile profile, Declarations declarations) {
    Report r = declarations.report();
    if (value.isArray()) {
      r.error(path, "must be a table with \"producers\" and \"consumers\" but was an array: a"
          + " list of queue names is w7s.json's form; in a wrangler file use [[queues.producers]]"
          + " and [[queues.consumers]]");
      return;
    }
    Table queues = Table.of(value, path, r, "a table with \"producers\" and \"consumers\"");
    if (queues == null) {
      return;
    }
    queues.checkKeys(QUEUES_KEYS);
    ArrayNode producers =
        queues.array("producers", "an array of tables ([[queues.producers]], not"
            + " [queues.producers])");
    if (producers != null) {
      for (int i = 0; i < producers.size(); i++) {
        String at = Locations.element(queues.path("producers"), i);
        Table p = Table.of(producers.get(i), at, r, "a table with \"binding\" and \"queue\"");
        if (p != null) {
          producer(p, declarations);
        }
      }
    }
    ArrayNode consumers =
        queues.array("consumers", "an array of tables ([[queues.consumers]], not"
            + " [queues.consumers])");
    if (consumers != null) {
      for (int i = 0; i < consumers.size(); i++) {
        String at = Locations.element(queues.path("consumers"), i);
        Table c = Table.of(consumers.get(i), at, r, "a table with at least \"queue\"");
        ConsumerDeclaration consumer = c == null ? null : ConsumerReader.wrangler(c, profile);
        if (consumer != null) {
          declarations.consumer(at, consumer);
        }
      }
    }
  }

  private static void producer(Table p, Declarations declarations) {
    p.checkKeys(PRODUCER_KEYS);
    String binding = p.requiredString("binding", "the name the Worker code uses, e.g. \"JOBS\"");
    String queue = p.requiredString("queue", "the queue the binding sends to; queues4j cannot"
        + " provision one at deploy time as wrangler can");
    if (p.number("delivery_delay") != null) {
      p.report.warn(p.path("delivery_delay"), "\"delivery_delay\" in a producer binding is"
          + " deprecated and has no effect (wrangler says so too): a queue's delivery delay is"
          + " a queue-level setting, set with \"wrangler queues update\" on Cloudflare and with"
          + " [queues4j.queues." + (queue == null ? "<queue>" : queue) + "] delivery_delay here");
    }
    p.bool("remote"); // wrangler's local-development switch: checked, no meaning in process
    if (binding != null && queue != null) {
      declarations.producer(p.path, binding, queue);
    }
  }
}
