package io.queues4j.http;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The server's only Jetty handler: checks the URL length, authenticates, routes, and turns every
 * refusal into the JSON error envelope.
 *
 * <p>Order: URL length (414), then, unless the path and method match an unauthenticated route
 * ({@code GET /healthz}), the bearer token (401) before anything else, so an anonymous client
 * learns nothing about which routes exist; then the route (404, or 405 with {@code Allow}).
 */
final class RootHandler extends Handler.Abstract {
  /** RFC 6750's b64token. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

  private final Router router;
  private final TokenRegistry tokens;
  private final ConnectionGuard guard;
  private final int maxUrlLength;

  RootHandler(Router router, TokenRegistry tokens, ConnectionGuard guard, int maxUrlLength) {
    this.router = router;
    this.tokens = tokens;
    this.guard = guard;
    this.maxUrlLength = maxUrlLength;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Connection connection = request.getConnectionMetaData().getConnection();
    guard.requestStarted(connection);
    Request.addCompletionListener(request, failure -> guard.requestEnded(connection));
    Exchange exchange = new Exchange(request, response, callback);
    try {
      dispatch(exchange);
    } catch (Exception e) {
      exchange.failWith(e);
    }
    return true;
  }

  private void dispatch(Exchange exchange) throws Exception {
    Request request = exchange.request;
    String path = Request.getPathInContext(request);
    if (path != null) {
      exchange.errorFormat(router.errorFormatFor(path));
    }
    String rawPath = request.getHttpURI().getPath();
    String query = request.getHttpURI().getQuery();
    int urlLength = (rawPath == null ? 0 : rawPath.length()) + (query == null ? 0 : query.length() + 1);
    if (urlLength > maxUrlLength) {
      throw new HttpError(
          414,
          "uri_too_long",
          "the request URI of " + urlLength + " characters exceeds the limit of " + maxUrlLength);
    }
    if (path == null || path.isEmpty()) {
      throw HttpError.badRequest("the request path is malformed");
    }
    Router.Match match = router.match(request.getMethod(), path);
    Router.Route route = match.route();
    if (route != null && !route.authenticated()) {
      exchange.route(match.params(), null);
      route.endpoint().handle(exchange);
      return;
    }
    Caller caller = authenticate(exchange);
    if (route == null) {
      if (match.allowed().isEmpty()) {
        throw HttpError.notFound("no route matches " + truncate(path));
      }
      throw new HttpError(
          405,
          "method_not_allowed",
          "method " + truncate(request.getMethod()) + " is not allowed on " + truncate(path)
              + "; allowed: " + String.join(", ", match.allowed()),
          new HttpField("Allow", String.join(", ", match.allowed())));
    }
    exchange.route(match.params(), caller);
    route.endpoint().handle(exchange);
  }

  private Caller authenticate(Exchange exchange) throws HttpError {
    List<String> values = exchange.request.getHeaders().getValuesList("Authorization");
    if (values.isEmpty()) {
      throw HttpError.unauthorized("missing bearer token: send Authorization: Bearer <token>");
    }
    if (values.size() > 1) {
      throw HttpError.unauthorized("Authorization must appear once but appeared " + values.size() + " times");
    }
    String header = values.get(0).trim();
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
      throw HttpError.unauthorized("Authorization must use the Bearer scheme");
    }
    String token = header.substring(space + 1).trim();
    if (!TOKEN.matcher(token).matches() || token.length() > 1024) {
      throw HttpError.unauthorized("the bearer token is malformed");
    }
    @Nullable Caller caller = tokens.resolve(token);
    if (caller == null) {
      throw HttpError.unauthorized("the bearer token is not valid");
    }
    return caller;
  }

  /** Shortens a client-supplied value for an error message. */
  static String truncate(String value) {
    return value.length() <= 100 ? value : value.substring(0, 100) + "...";
  }
}
