package io.queues4j.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Records, as well as a line scan can, the line and column of every table header and key of a
 * TOML document that Jackson has already read without error. Jackson's TOML reader builds a tree
 * without token locations, so this scan finds {@code [table]}, {@code [[array.of.tables]]} and
 * {@code key = value} lines, counting array-of-tables headers to name elements ({@code
 * queues.consumers[1]}). Values that span lines (arrays, multi-line strings) are skipped; keys
 * inside inline tables get the position of the line that holds the table.
 */
final class TomlLocator {
  private static final String KEY = "(?:[A-Za-z0-9_-]+|\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*')";
  private static final String DOTTED = KEY + "(?:\\s*\\.\\s*" + KEY + ")*";
  private static final Pattern ONE_KEY = Pattern.compile(KEY);
  private static final Pattern ARRAY_HEADER =
      Pattern.compile("^(\\s*)\\[\\[\\s*(" + DOTTED + ")\\s*]]");
  private static final Pattern TABLE_HEADER = Pattern.compile("^(\\s*)\\[\\s*(" + DOTTED + ")\\s*]");
  private static final Pattern KEY_VALUE = Pattern.compile("^(\\s*)(" + DOTTED + ")\\s*=(.*)$");

  private final Locations locations = new Locations();
  private final Map<String, Integer> arrayTables = new HashMap<>();
  private String table = "";
  private int depth;
  private @Nullable String openString;

  private TomlLocator() {}

  static Locations scan(String text) {
    TomlLocator scan = new TomlLocator();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      scan.line(lines[i], i + 1);
    }
    return scan.locations;
  }

  private void line(String line, int lineNr) {
    String rest = line;
    String open = openString;
    if (open != null) {
      int end = rest.indexOf(open);
      if (end < 0) {
        return;
      }
      openString = null;
      rest = rest.substring(end + 3);
      track(rest);
      return;
    }
    if (depth > 0) {
      track(rest);
      return;
    }
    Matcher m = ARRAY_HEADER.matcher(rest);
    if (m.find()) {
      List<String> keys = keys(m.group(2));
      int column = m.group(1).length() + 1;
      String array =
          Locations.child(resolve(keys, keys.size() - 1, lineNr, column), keys.get(keys.size() - 1));
      int index = arrayTables.merge(array, 1, Integer::sum) - 1;
      table = Locations.element(array, index);
      locations.put(array, lineNr, column);
      locations.put(table, lineNr, column);
      return;
    }
    m = TABLE_HEADER.matcher(rest);
    if (m.find()) {
      table = resolve(keys(m.group(2)), Integer.MAX_VALUE, lineNr, m.group(1).length() + 1);
      return;
    }
    m = KEY_VALUE.matcher(rest);
    if (m.find()) {
      String path = table;
      for (String key : keys(m.group(2))) {
        path = Locations.child(path, key);
        locations.put(path, lineNr, m.group(1).length() + 1);
      }
      track(m.group(3));
    }
  }

  /**
   * Resolves a dotted header prefix, stepping into the last element of each array of tables, and
   * records each table it names (a table first named in a header starts at that header).
   */
  private String resolve(List<String> keys, int count, int lineNr, int column) {
    String path = "";
    for (int i = 0; i < Math.min(count, keys.size()); i++) {
      path = Locations.child(path, keys.get(i));
      locations.put(path, lineNr, column);
      Integer n = arrayTables.get(path);
      if (n != null) {
        path = Locations.element(path, n - 1);
      }
    }
    return path;
  }

  /** Follows brackets and multi-line strings in a value, outside strings and comments. */
  private void track(String value) {
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '#') {
        return;
      }
      if (value.startsWith("\"\"\"", i) || value.startsWith("'''", i)) {
        String delimiter = value.substring(i, i + 3);
        int end = value.indexOf(delimiter, i + 3);
        if (end < 0) {
          openString = delimiter;
          return;
        }
        i = end + 3;
      } else if (c == '"' || c == '\'') {
        i = endOfString(value, i);
      } else {
        if (c == '[' || c == '{') {
          depth++;
        } else if ((c == ']' || c == '}') && depth > 0) {
          depth--;
        }
        i++;
      }
    }
  }

  private static int endOfString(String value, int start) {
    char quote = value.charAt(start);
    int i = start + 1;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '\\' && quote == '"') {
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else {
        i++;
      }
    }
    return i;
  }

  /** Splits a dotted key into its keys, without quotes. */
  private static List<String> keys(String dotted) {
    List<String> keys = new ArrayList<>();
    Matcher m = ONE_KEY.matcher(dotted);
    while (m.find()) {
      String key = m.group();
      if (key.startsWith("\"")) {
        key = key.substring(1, key.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
      } else if (key.startsWith("'")) {
        key = key.substring(1, key.length() - 1);
      }
      keys.add(key);
    }
    return keys;
  }
}
