package io.queues4j.http;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Promise;
import org.jspecify.annotations.Nullable;

/**
 * HTML form bodies as queue-run turns them into job payloads: an object of field names to string
 * values, a repeated field keeping its last value. Multipart forms may hold fields only: a file part
 * or a part without a name is refused (422), as in queue-run.
 */
final class FormBodies {
  private static final int MAX_PARTS = 1_000;

  private FormBodies() {}

  /** Decodes {@code application/x-www-form-urlencoded} UTF-8 text. */
  static Map<String, String> urlEncoded(String text) throws HttpError {
    Map<String, String> fields = new LinkedHashMap<>();
    int count = 0;
    for (String pair : text.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      if (++count > MAX_PARTS) {
        throw HttpError.unprocessable("the form has more than " + MAX_PARTS + " fields");
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        fields.put(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw HttpError.unprocessable(
            "application/x-www-form-urlencoded: malformed percent-encoding in field '"
                + RootHandler.truncate(name) + "'");
      }
    }
    return fields;
  }

  /** Parses {@code multipart/form-data} held in memory; completes with the fields or an error. */
  static CompletableFuture<Map<String, String>> multipart(@Nullable String contentType, byte[] body) {
    String boundary = contentType == null ? null : MultiPart.extractBoundary(contentType);
    if (boundary == null || boundary.isEmpty()) {
      return CompletableFuture.failedFuture(
          HttpError.unprocessable("multipart/form-data: the Content-Type has no boundary"));
    }
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
    parser.setMaxParts(MAX_PARTS);
    parser.setMaxLength(body.length);
    parser.setMaxMemoryFileSize(body.length + 1L);
    parser.setUseFilesForPartsWithoutFileName(false);
    CompletableFuture<MultiPartFormData.Parts> parsed = new CompletableFuture<>();
    parser.parse(
        Content.Source.from(ByteBuffer.wrap(body)),
        Promise.Invocable.toPromise(parsed));
    return parsed
        .handle(
            (parts, failure) -> {
              if (failure != null) {
                throw new java.util.concurrent.CompletionException(
                    HttpError.unprocessable("multipart/form-data: the body is malformed"));
              }
              try (parts) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (MultiPart.Part part : parts) {
                  String name = part.getName();
                  if (part.getFileName() != null) {
                    throw new java.util.concurrent.CompletionException(
                        HttpError.unprocessable("multipart/form-data: files are not supported"));
                  }
                  if (name == null || name.isEmpty()) {
                    throw new java.util.concurrent.CompletionException(
                        HttpError.unprocessable("multipart/form-data: a part has no name"));
                  }
                  fields.put(name, part.getContentAsString(charsetOf(part)));
                }
                return fields;
              }
            });
  }

  private static Charset charsetOf(MultiPart.Part part) {
    String charset = JsonBodies.charset(part.getHeaders().get("Content-Type"));
    if (charset == null) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(charset);
    } catch (IllegalArgumentException e) {
      throw new java.util.concurrent.CompletionException(
          HttpError.unprocessable(
              "multipart/form-data: unsupported charset '" + RootHandler.truncate(charset) + "'"));
    }
  }
}
