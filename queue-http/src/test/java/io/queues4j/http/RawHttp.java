package io.queues4j.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A bare HTTP/1.1 client over a socket, for requests that no well-behaved client would send. */
final class RawHttp {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** A parsed response; status 0 means the server closed the connection without answering. */
  @SuppressWarnings("ArrayRecordComponent") // a test value, never compared
  record Response(int status, Map<String, String> headers, byte[] body) {
    @Nullable String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() throws IOException {
      return MAPPER.readTree(body);
    }
  }

  private RawHttp() {}

  static Response send(int port, String request) throws IOException {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  static Response send(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException closedEarly) {
        // the server may answer and close before reading everything (413): read what it said
      }
      return read(socket.getInputStream());
    }
  }

  static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        all.write(buf, 0, n);
      }
    } catch (IOException reset) {
      // a reset after the response still leaves the response readable
    }
    byte[] bytes = all.toByteArray();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || end < 0) {
      return new Response(0, Map.of(), bytes);
    }
    String[] lines = text.substring(0, end).split("\r\n", -1);
    int status = Integer.parseInt(lines[0].substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    String length = headers.get("content-length");
    if (length != null && Integer.parseInt(length) < body.length) {
      body = java.util.Arrays.copyOf(body, Integer.parseInt(length));
    }
    return new Response(status, headers, body);
  }

  /** A POST with the given headers (each "Name: value") and body, closing the connection after. */
  static String post(String path, String body, String... headers) {
    StringBuilder sb = new StringBuilder();
    sb.append("POST ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    sb.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    return sb + new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
