package io.queues4j.http;

import java.util.List;
import org.eclipse.jetty.http.HttpField;

/**
 * A request refused with an HTTP status: thrown inside a route, turned into the JSON error
 * envelope by the router. Carries no stack trace (it is control flow, never logged as a failure).
 */
final class HttpError extends Exception {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;
  @SuppressWarnings("serial") // never serialized
  final List<HttpField> headers;

  HttpError(int status, String code, String message, HttpField... headers) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.headers = List.of(headers);
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, "bad_request", message);
  }

  static HttpError unauthorized(String message) {
    return new HttpError(
        401, "unauthorized", message, new HttpField("WWW-Authenticate", "Bearer realm=\"queues4j\""));
  }

  static HttpError forbidden(String message) {
    return new HttpError(403, "forbidden", message);
  }

  static HttpError notFound(String message) {
    return new HttpError(404, "not_found", message);
  }

  static HttpError tooLarge(String message) {
    return new HttpError(413, "payload_too_large", message, new HttpField("Connection", "close"));
  }

  static HttpError unsupportedMediaType(String message) {
    return new HttpError(415, "unsupported_media_type", message);
  }

  static HttpError unprocessable(String message) {
    return new HttpError(422, "unprocessable_content", message);
  }

  static HttpError tooManyRequests(String message, long retryAfterSeconds) {
    return new HttpError(
        429,
        "too_many_requests",
        message,
        new HttpField("Retry-After", Long.toString(retryAfterSeconds)));
  }

  static HttpError unavailable(String message) {
    return new HttpError(503, "service_unavailable", message);
  }

  /**
   * Maps a failed engine send to a status: no backlog room or a closed engine is 503, a message
   * over the engine's size limit 413; anything else is unexpected and returned as is.
   */
  static Throwable ofSendFailure(Throwable failure) {
    Throwable f = failure;
    while ((f instanceof java.util.concurrent.CompletionException
            || f instanceof java.util.concurrent.ExecutionException)
        && f.getCause() != null) {
      f = f.getCause();
    }
    if (f instanceof io.queues4j.StorageLimitExceededException) {
      return new HttpError(
          503,
          "service_unavailable",
          "the queue's backlog is full: " + f.getMessage(),
          new HttpField("Retry-After", "1"));
    }
    if (f instanceof io.queues4j.QueueClosedException) {
      return unavailable("the queue is closed");
    }
    if (f instanceof io.queues4j.MessageTooLargeException) {
      return tooLarge(f.getMessage() == null ? "the message is too large" : f.getMessage());
    }
    return f;
  }

  /** The error code used in the JSON envelope for a status Jetty itself produced. */
  static String codeOf(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 422 -> "unprocessable_content";
      case 429 -> "too_many_requests";
      case 431 -> "request_header_fields_too_large";
      case 503 -> "service_unavailable";
      default -> status >= 500 ? "internal_error" : "bad_request";
    };
  }

  /** A generic message for a status Jetty itself produced; never an exception text. */
  static String messageOf(int status) {
    return switch (status) {
      case 400 -> "the request is malformed";
      case 404 -> "no route matches the request";
      case 405 -> "the method is not allowed on this route";
      case 408 -> "the request was not received in time";
      case 413 -> "the request body is too large";
      case 414 -> "the request URI is too long";
      case 431 -> "the request headers are too large";
      case 503 -> "the server is not available";
      default -> status >= 500 ? "the server failed to handle the request" : "the request failed";
    };
  }
}
