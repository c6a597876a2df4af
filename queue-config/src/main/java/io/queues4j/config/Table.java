package io.queues4j.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A TOML table or JSON object of the file at a key path, with typed reads that report every
 * wrong type, fraction or missing key to the {@link Report} and return null for it, so that
 * reading goes on and the file's other problems are found too.
 */
final class Table {
  final ObjectNode node;
  final String path;
  final Report report;

  private Table(ObjectNode node, String path, Report report) {
    this.node = node;
    this.path = path;
    this.report = report;
  }

  /** Returns the value as a table, or reports that it must be one ({@code expected}) and returns null. */
  static @Nullable Table of(JsonNode value, String path, Report report, String expected) {
    if (value instanceof ObjectNode object) {
      return new Table(object, path, report);
    }
    report.error(path, "must be " + expected + " but was " + describe(value));
    return null;
  }

  List<String> keys() {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  boolean has(String key) {
    return node.has(key);
  }

  String path(String key) {
    return Locations.child(path, key);
  }

  /** Reports every key not in {@code known}, with the closest known key. */
  void checkKeys(Collection<String> known) {
    for (String key : keys()) {
      if (!known.contains(key)) {
        report.unknownKey(path, key, known);
      }
    }
  }

  /** Returns the value of a key that must be a non-empty string, or null if absent or bad. */
  @Nullable String string(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      report.error(path(key), key + " must be a string but was " + describe(value));
      return null;
    }
    if (value.asText().isBlank()) {
      report.error(path(key), key + " must not be empty");
      return null;
    }
    return value.asText();
  }

  /** Like {@link #string} but reports a missing key, explaining what it is for. */
  @Nullable String requiredString(String key, String why) {
    if (!has(key)) {
      report.error(path, "missing required key \"" + key + "\" (" + why + ")");
      return null;
    }
    return string(key);
  }

  /** Returns the value of a key that must be a boolean, or null if absent or bad. */
  @Nullable Boolean bool(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      report.error(path(key), key + " must be true or false but was " + describe(value));
      return null;
    }
    return value.booleanValue();
  }

  /**
   * Returns the value of a key that must be a whole number ({@code 10} or {@code 10.0}), or null
   * if absent or bad. Values beyond the range of a long are clamped to it.
   *
   * @param what how to name a fraction's problem: "a whole number", "whole seconds"
   */
  @Nullable Long wholeNumber(String key, String what) {
    BigDecimal n = number(key);
    if (n == null) {
      return null;
    }
    if (n.signum() != 0 && n.stripTrailingZeros().scale() > 0) {
      report.error(path(key), key + " must be " + what + " but was " + n.toPlainString());
      return null;
    }
    return clampToLong(n);
  }

  /**
   * Returns the value of a key that must be a number of seconds with at most millisecond
   * precision ({@code 0.5}), as a duration, or null if absent or bad.
   */
  @Nullable Duration seconds(String key) {
    BigDecimal n = number(key);
    if (n == null) {
      return null;
    }
    BigDecimal millis = n.movePointRight(3);
    if (millis.signum() != 0 && millis.stripTrailingZeros().scale() > 0) {
      report.error(path(key), key + " must be seconds with at most millisecond precision (3"
          + " decimals) but was " + n.toPlainString());
      return null;
    }
    return Duration.ofMillis(clampToLong(millis));
  }

  /** Returns the value of a key that must be a number, or null if absent or bad. */
  @Nullable BigDecimal number(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      return null;
    }
    if (!value.isNumber()) {
      report.error(path(key), key + " must be a number but was " + describe(value));
      return null;
    }
    if (!finite(value)) {
      report.error(path(key), key + " must be a finite number but was " + value.asText());
      return null;
    }
    return value.decimalValue();
  }

  /** Returns the table under a key, or null if absent or not a table (reported). */
  @Nullable Table table(String key, String expected) {
    JsonNode value = node.get(key);
    return value == null ? null : of(value, path(key), report, expected);
  }

  /** Returns the array under a key, or null if absent or not an array (reported). */
  @Nullable ArrayNode array(String key, String expected) {
    JsonNode value = node.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof ArrayNode array) {
      return array;
    }
    report.error(path(key), "must be " + expected + " but was " + describe(value));
    return null;
  }

  /** Returns the value as the file wrote it: {@code 500}, {@code "ten"}, {@code 2.5}. */
  static String written(JsonNode value) {
    if (value.isNumber() && finite(value)) {
      return value.decimalValue().toPlainString();
    }
    return value.toString();
  }

  /** Names the kind and value of a node for an error: {@code the string "10"}, {@code a table}. */
  static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "the string " + value;
    }
    if (value.isNumber()) {
      return "the number " + (finite(value) ? written(value) : value.asText());
    }
    if (value.isBoolean()) {
      return "the boolean " + value;
    }
    if (value.isNull()) {
      return "null";
    }
    if (value.isArray()) {
      return "an array " + abbreviate(value.toString());
    }
    return "a table/object " + abbreviate(value.toString());
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  /** TOML's {@code nan} and {@code inf} arrive as doubles without a decimal value. */
  private static boolean finite(JsonNode number) {
    return !(number.isDouble() || number.isFloat()) || Double.isFinite(number.doubleValue());
  }

  static long clampToLong(BigDecimal n) {
    if (n.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Long.MAX_VALUE;
    }
    if (n.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
      return Long.MIN_VALUE;
    }
    return n.longValue();
  }

  static int clampToInt(long n) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
  }
}
