package io.queues4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.queues4j.config.Problem;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code [queues4j.server]} table of one configuration file ({@code "queues4j": {"server":
 * {...}}} in JSON). Its keys are those of {@link Setting#fileKey}; an unknown key is an error,
 * with the closest known key, because a misspelt security setting must not fall back to a default
 * silently.
 */
final class ServerTable {
  static final String PREFIX = "queues4j.server";

  final JsonNode node;
  final String source;
  final Path directory;
  private final KeyLines lines;

  ServerTable(JsonNode node, String source, Path directory, KeyLines lines) {
    this.node = node;
    this.source = source;
    this.directory = directory;
    this.lines = lines;
  }

  /** The known keys by table: "" for the server table itself, "w7s", "tokens[]", ... */
  static Map<String, Set<String>> knownKeys() {
    Map<String, Set<String>> known = new LinkedHashMap<>();
    for (Setting s : Setting.values()) {
      if (s.fileKey == null) {
        continue;
      }
      int dot = s.fileKey.indexOf('.');
      String first = dot < 0 ? s.fileKey : s.fileKey.substring(0, dot);
      String table = first.endsWith("[]") ? first : dot < 0 ? "" : first;
      known.computeIfAbsent("", k -> new LinkedHashSet<>())
          .add(first.endsWith("[]") ? first.substring(0, first.length() - 2) : first);
      if (dot >= 0) {
        known.computeIfAbsent(table, k -> new LinkedHashSet<>()).add(s.fileKey.substring(dot + 1));
      }
    }
    known.computeIfAbsent("tokens[]", k -> new LinkedHashSet<>()).add("caller");
    known.computeIfAbsent("routes[]", k -> new LinkedHashSet<>())
        .addAll(List.of("path", "queue", "accepts"));
    return known;
  }

  /** Reports every unknown key of the table and of its sub-tables. */
  void checkKeys(List<Problem> problems) {
    Map<String, Set<String>> known = knownKeys();
    if (!node.isObject()) {
      problems.add(problem("", "must be a table of server settings but was " + describe(node)));
      return;
    }
    checkObject(node, "", java.util.Objects.requireNonNull(known.get("")), problems);
    for (Map.Entry<String, Set<String>> table : known.entrySet()) {
      String name = table.getKey();
      if (name.isEmpty()) {
        continue;
      }
      boolean array = name.endsWith("[]");
      String key = array ? name.substring(0, name.length() - 2) : name;
      JsonNode child = node.get(key);
      if (child == null) {
        continue;
      }
      if (array) {
        if (!child.isArray()) {
          problems.add(problem(key, "must be an array of tables ([[" + PREFIX + "." + key + "]]) but was " + describe(child)));
          continue;
        }
        for (int i = 0; i < child.size(); i++) {
          if (!child.get(i).isObject()) {
            problems.add(problem(key + "[" + i + "]", "must be a table but was " + describe(child.get(i))));
          } else {
            checkObject(child.get(i), key + "[" + i + "].", table.getValue(), problems);
          }
        }
      } else if (!child.isObject()) {
        problems.add(problem(key, "must be a table ([" + PREFIX + "." + key + "]) but was " + describe(child)));
      } else {
        checkObject(child, key + ".", table.getValue(), problems);
      }
    }
  }

  private void checkObject(JsonNode object, String prefix, Set<String> known, List<Problem> problems) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        problems.add(
            problem(prefix + name, "unknown key" + Spelling.suggest(name, known) + "; known keys: " + String.join(", ", known)));
      }
    }
  }

  /** Returns the value at a dotted key such as {@code w7s.app}, or null if absent. */
  @Nullable JsonNode get(String key) {
    JsonNode current = node;
    for (String part : java.util.regex.Pattern.compile("\\.").split(key, -1)) {
      current = current.isObject() ? current.get(part) : null;
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  /** A problem of this table, at {@code queues4j.server.<key>}, with its line when known. */
  Problem problem(String key, String message) {
    String path = key.isEmpty() ? PREFIX : PREFIX + "." + key;
    return new Problem(source, lines.lineOf(path), 0, path, message);
  }

  /** Describes a JSON value's type for an error message, without its content. */
  static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "a string";
    }
    if (value.isNumber()) {
      return "a number";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isArray()) {
      return "an array";
    }
    if (value.isObject()) {
      return "a table";
    }
    return value.isNull() ? "null" : "a " + value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}
