package io.queues4j.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each key path of a file starts: {@code queues.consumers[0].max_batch_size} to line 14,
 * column 1. A path with no recorded position borrows that of its nearest enclosing path, so a
 * problem inside a TOML inline table points at the line that holds the table.
 */
final class Locations {
  /** A 1-based line and column; 0 when unknown. */
  record Position(int line, int column) {
    static final Position UNKNOWN = new Position(0, 0);
  }

  private final Map<String, Position> byPath = new HashMap<>();

  /** Records the position of a path; the first record of a path wins. */
  void put(String path, int line, int column) {
    byPath.putIfAbsent(path, new Position(Math.max(line, 0), Math.max(column, 0)));
  }

  /** Returns the position of the path or of its nearest enclosing path with one. */
  Position find(String path) {
    String p = path;
    while (true) {
      Position at = byPath.get(p);
      if (at != null) {
        return at;
      }
      if (p.isEmpty()) {
        return Position.UNKNOWN;
      }
      p = parent(p);
    }
  }

  /** Returns the path one level up: {@code a.b[0].c} to {@code a.b[0]}, to {@code a.b}, to {@code a}. */
  static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? "" : path.substring(0, cut);
  }

  /** Returns the path of a key inside a table. */
  static String child(String table, String key) {
    return table.isEmpty() ? key : table + "." + key;
  }

  /** Returns the path of an element of an array. */
  static String element(String array, int index) {
    return array + "[" + index + "]";
  }
}
