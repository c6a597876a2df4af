package io.queues4j.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Checks request bodies: content types, strict UTF-8, and one well-formed JSON value. */
final class JsonBodies {
  private JsonBodies() {}

  /** The media type of a Content-Type header, lower case, without parameters; "" if absent. */
  static String mediaType(@org.jspecify.annotations.Nullable String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    String type = semi < 0 ? contentType : contentType.substring(0, semi);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  /** The charset parameter of a Content-Type header, lower case, or null. */
  static @org.jspecify.annotations.Nullable String charset(
      @org.jspecify.annotations.Nullable String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String param : contentType.split(";", -1)) {
      String p = param.trim();
      if (p.regionMatches(true, 0, "charset=", 0, 8)) {
        return p.substring(8).replace("\"", "").trim().toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /** Decodes strict UTF-8, or returns null if the bytes are not UTF-8. */
  static @org.jspecify.annotations.Nullable String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Checks that {@code text} is exactly one JSON value (whitespace around it allowed).
   *
   * @return null if it is, else what is wrong, with the position
   */
  static @org.jspecify.annotations.Nullable String jsonProblem(String text) {
    try (JsonParser p = Exchange.JSON.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return "the body is empty";
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        return "the body has content after its JSON value at line " + p.currentLocation().getLineNr()
            + ", column " + p.currentLocation().getColumnNr();
      }
      return null;
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      return "the body is not valid JSON"
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
    } catch (IOException e) {
      return "the body is not valid JSON";
    }
  }
}
