package io.queues4j.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line of each key of a configuration file, so that a problem in the server table points at
 * its line as queue-config's problems do. TOML lines come from a scan of table headers and {@code
 * key = value} lines (a key inside an inline table gets the line of the key that holds it); JSON
 * lines from Jackson's token locations.
 */
final class KeyLines {
  static final KeyLines NONE = new KeyLines(Map.of());

  private static final Pattern HEADER = Pattern.compile("^\\s*(\\[\\[?)\\s*([^\\]]+?)\\s*\\]\\]?");
  private static final Pattern KEY = Pattern.compile("^\\s*([A-Za-z0-9_.\"-]+?)\\s*=");

  private final Map<String, Integer> lines;

  private KeyLines(Map<String, Integer> lines) {
    this.lines = lines;
  }

  /** Returns the line of a dotted path ({@code a.b[0].c}), of its closest ancestor, or 0. */
  int lineOf(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return 0;
  }

  static KeyLines toml(String text) {
    Map<String, Integer> lines = new HashMap<>();
    Map<String, Integer> arrayCounts = new HashMap<>();
    String table = "";
    String[] all = text.split("\r?\n", -1);
    for (int i = 0; i < all.length; i++) {
      String line = all[i];
      Matcher h = HEADER.matcher(line);
      if (h.find()) {
        String name = unquote(h.group(2));
        if (h.group(1).equals("[[")) {
          int index = arrayCounts.merge(name, 1, Integer::sum) - 1;
          table = name + "[" + index + "]";
        } else {
          table = name;
        }
        lines.putIfAbsent(table, i + 1);
        continue;
      }
      Matcher k = KEY.matcher(line);
      if (k.find()) {
        String key = unquote(k.group(1));
        lines.putIfAbsent(table.isEmpty() ? key : table + "." + key, i + 1);
      }
    }
    return new KeyLines(lines);
  }

  private static String unquote(String dotted) {
    return dotted.replace("\"", "").replaceAll("\\s*\\.\\s*", ".");
  }

  static KeyLines json(String text) {
    Map<String, Integer> lines = new HashMap<>();
    JsonFactory factory =
        JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();
    try (JsonParser parser = factory.createParser(text)) {
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        if (t == JsonToken.FIELD_NAME || parser.getParsingContext().inArray()) {
          String path = path(parser.getParsingContext().pathAsPointer().toString());
          lines.putIfAbsent(path, parser.currentTokenLocation().getLineNr());
        }
      }
    } catch (IOException e) {
      return NONE; // malformed: queue-config reports it with its own line
    }
    return new KeyLines(lines);
  }

  /** {@code /queues4j/server/tokens/0/caller} to {@code queues4j.server.tokens[0].caller}. */
  private static String path(String pointer) {
    StringBuilder s = new StringBuilder();
    for (String part : pointer.split("/", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      String name = part.replace("~1", "/").replace("~0", "~");
      if (name.chars().allMatch(Character::isDigit)) {
        s.append('[').append(name).append(']');
      } else {
        s.append(s.length() == 0 ? "" : ".").append(name);
      }
    }
    return s.toString();
  }
}
