package io.queues4j.http;

import org.eclipse.jetty.http.HttpField;

/**
 * Cloudflare's v4 error envelope and the error codes of the Cloudflare face.
 *
 * <p>The face throws {@link HttpError}s whose {@code code} is Cloudflare's numeric code as text;
 * refusals made elsewhere (authentication, routing, body limits, rate limits) carry the server's
 * own code names and get a Cloudflare code from their status. Every refusal under {@code
 * /client/v4/} is written as
 *
 * <pre>{@code {"success":false,"errors":[{"code":10104,"message":"..."}],"messages":[],"result":null}}</pre>
 *
 * <p>Codes documented by Cloudflare (Queues error-code reference and API observations): 10104
 * queue not found on message routes and 11000 on management routes, 10107 malformed queue id,
 * 10202 to 10208 request validation, 10250 to 10252 the 429 family, 11003 invalid queue name, 11004
 * consumer exists, 11009 queue exists, 10000 authentication, 7000/7001/7003 routing, 15000
 * internal. The HTTP statuses are queues4j's where Cloudflare does not document them.
 */
final class CloudflareErrors {
  static final int ROUTE_NOT_FOUND = 7000;
  static final int METHOD_NOT_ALLOWED = 7001;
  static final int BAD_IDENTIFIER = 7003;
  static final int AUTHENTICATION = 10000;
  static final int QUEUE_NOT_FOUND_MESSAGES = 10104;
  static final int QUEUE_ID_MALFORMED = 10107;
  static final int BATCH_DELAY_INVALID = 10202;
  static final int MESSAGE_METADATA_INVALID = 10203;
  static final int MESSAGE_SIZE = 10204;
  static final int BATCH_SIZE = 10205;
  static final int BATCH_COUNT = 10206;
  static final int BODY_INVALID = 10207;
  static final int BODY_MALFORMED = 10208;
  static final int QUEUE_OVERLOADED = 10250;
  static final int STORAGE_LIMIT = 10251;
  static final int QUEUE_DISABLED = 10252;
  static final int QUEUE_NOT_FOUND = 11000;
  static final int INVALID_QUEUE_NAME = 11003;
  static final int CONSUMER_EXISTS = 11004;
  static final int QUEUE_EXISTS = 11009;
  static final int INTERNAL = 15000;

  private CloudflareErrors() {}

  static HttpError error(int status, int code, String message, HttpField... headers) {
    return new HttpError(status, Integer.toString(code), message, headers);
  }

  /** A request body that does not match the route's schema (400, 10207). */
  static HttpError invalid(String message) {
    return error(400, BODY_INVALID, message);
  }

  /** Writes the v4 error envelope for a refusal. */
  static byte[] render(HttpError error) {
    int code = codeOf(error);
    String message = error.getMessage() == null ? error.code : error.getMessage();
    return Exchange.json(
        g -> {
          g.writeStartObject();
          g.writeBooleanField("success", false);
          g.writeArrayFieldStart("errors");
          g.writeStartObject();
          g.writeNumberField("code", code);
          g.writeStringField("message", message);
          g.writeEndObject();
          g.writeEndArray();
          g.writeArrayFieldStart("messages");
          g.writeEndArray();
          g.writeNullField("result");
          g.writeEndObject();
        });
  }

  private static int codeOf(HttpError error) {
    String c = error.code;
    if (!c.isEmpty() && c.length() <= 6 && c.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      return Integer.parseInt(c);
    }
    return switch (error.status) {
      case 401, 403 -> AUTHENTICATION;
      case 404 -> ROUTE_NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 413 -> BATCH_SIZE;
      case 429 -> QUEUE_OVERLOADED;
      default -> error.status >= 500 ? INTERNAL : BODY_INVALID;
    };
  }

  /**
   * Maps a backend refusal to Cloudflare's status and code.
   *
   * @param messagesRoute whether the request is one of the message routes, where Cloudflare
   *     answers an unknown queue with 10104 rather than 11000
   */
  static HttpError of(QueueBackendException e, boolean messagesRoute) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof QueueBackendException.UnknownQueue) {
      return error(404, messagesRoute ? QUEUE_NOT_FOUND_MESSAGES : QUEUE_NOT_FOUND, m);
    } else if (e instanceof QueueBackendException.UnknownConsumer) {
      return error(404, BAD_IDENTIFIER, m);
    } else if (e instanceof QueueBackendException.QueueExists) {
      return error(409, QUEUE_EXISTS, m);
    } else if (e instanceof QueueBackendException.ConsumerExists) {
      return error(409, CONSUMER_EXISTS, m);
    } else if (e instanceof QueueBackendException.NoPullConsumer) {
      return error(400, BODY_INVALID, m);
    } else if (e instanceof QueueBackendException.DeliveryPaused) {
      return error(409, QUEUE_DISABLED, m);
    } else if (e instanceof QueueBackendException.InvalidSettings) {
      return error(400, BODY_INVALID, m);
    } else if (e instanceof QueueBackendException.LimitExceeded limit) {
      return switch (limit.limit) {
        case MESSAGE_BYTES -> error(413, MESSAGE_SIZE, m);
        case BATCH_BYTES -> error(413, BATCH_SIZE, m);
        case BATCH_COUNT -> error(400, BATCH_COUNT, m);
        case BACKLOG -> error(429, STORAGE_LIMIT, m, new HttpField("Retry-After", "1"));
      };
    } else {
      return error(503, INTERNAL, m.isEmpty() ? "the queues are not available" : m);
    }
  }

  /** Unwraps a failed stage's cause and maps it; anything but a backend refusal is returned as is. */
  static Throwable ofFailure(Throwable failure, boolean messagesRoute) {
    Throwable f = failure;
    while ((f instanceof java.util.concurrent.CompletionException
            || f instanceof java.util.concurrent.ExecutionException)
        && f.getCause() != null) {
      f = f.getCause();
    }
    return f instanceof QueueBackendException e ? of(e, messagesRoute) : f;
  }
}
