package io.queues4j.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's error pages, as the server's JSON error envelope: for requests Jetty refuses itself (a
 * request line or headers over the limit, a malformed or ambiguous URI) and for failures that
 * escape a route. The message is generic for the status; exception texts, stack traces and class
 * names are never sent.
 */
final class JsonErrorHandler extends ErrorHandler {

  JsonErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
    setShowMessageInTitle(false);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      @Nullable String message,
      @Nullable Throwable cause,
      Callback callback) {
    byte[] body = Exchange.errorJson(HttpError.codeOf(code), HttpError.messageOf(code));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Exchange.JSON_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
