package io.queues4j.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * Records the line and column of every key and array element of a JSON document, from the token
 * locations of Jackson's streaming parser.
 */
final class JsonLocator {
  private JsonLocator() {}

  /** One open object or array. */
  private static final class Frame {
    final String path;
    final boolean array;
    int index;
    String field = "";

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }
  }

  /**
   * Scans a document that Jackson has already read without error.
   *
   * @throws IOException if Jackson fails on the second reading (it did not on the first)
   */
  static Locations scan(JsonFactory factory, String text) throws IOException {
    Locations locations = new Locations();
    Deque<Frame> open = new ArrayDeque<>();
    try (JsonParser p = factory.createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        Frame top = open.peek();
        switch (t) {
          case FIELD_NAME -> {
            if (top != null) {
              top.field = p.currentName();
              put(locations, Locations.child(top.path, top.field), p.currentTokenLocation());
            }
          }
          case START_OBJECT, START_ARRAY -> {
            String path = valuePath(locations, top, p.currentTokenLocation());
            open.push(new Frame(path, t == JsonToken.START_ARRAY));
          }
          case END_OBJECT, END_ARRAY -> open.pop();
          default -> valuePath(locations, top, p.currentTokenLocation());
        }
      }
    }
    return locations;
  }

  /** Returns the path of the value starting at {@code at}, recording it if it is an element. */
  private static String valuePath(Locations locations, @Nullable Frame parent, JsonLocation at) {
    if (parent == null) {
      return "";
    }
    if (!parent.array) {
      return Locations.child(parent.path, parent.field);
    }
    String path = Locations.element(parent.path, parent.index++);
    put(locations, path, at);
    return path;
  }

  private static void put(Locations locations, String path, JsonLocation at) {
    locations.put(path, at.getLineNr(), at.getColumnNr());
  }
}
