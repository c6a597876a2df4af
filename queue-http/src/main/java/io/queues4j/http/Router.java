package io.queues4j.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Maps a method and a path to a route. Paths are literal segments and {@code {name}} parameters,
 * each parameter matching one non-empty segment. Faces add their routes while the server is built;
 * after that the router is read-only, so lookups need no locking.
 *
 * <p>A path that matches no route is a 404; a path that matches routes of other methods only is a
 * 405 whose {@code Allow} header lists them.
 */
final class Router {

  /** Handles one matched request; answers through the exchange, now or later. */
  @FunctionalInterface
  interface Endpoint {
    void handle(Exchange exchange) throws Exception;
  }

  /** One route: a method, a path pattern, whether it needs a bearer token, and its endpoint. */
  record Route(String method, String pattern, boolean authenticated, Endpoint endpoint) {
    List<String> segments() {
      return split(pattern);
    }
  }

  /** The outcome of a lookup: a route with its parameters, or the methods the path allows. */
  record Match(@Nullable Route route, Map<String, String> params, List<String> allowed) {}

  private final List<Route> routes = new ArrayList<>();
  private final Map<String, Exchange.ErrorFormat> errorFormats = new LinkedHashMap<>();

  /**
   * Adds a route.
   *
   * @throws IllegalArgumentException if the pattern is malformed or the method and pattern are
   *     already taken
   */
  void add(String method, String pattern, boolean authenticated, Endpoint endpoint) {
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("route path must start with '/' but was '" + pattern + "'");
    }
    for (String segment : split(pattern)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("route path has an empty or dot segment: '" + pattern + "'");
      }
      if (segment.startsWith("{") != segment.endsWith("}")) {
        throw new IllegalArgumentException("route path has a malformed parameter: '" + pattern + "'");
      }
    }
    for (Route r : routes) {
      if (r.method.equals(method) && sameShape(r.pattern, pattern)) {
        throw new IllegalArgumentException(
            "route " + method + " " + pattern + " clashes with " + r.method + " " + r.pattern);
      }
    }
    routes.add(new Route(method, pattern, authenticated, endpoint));
  }

  /** Makes refusals of every request whose path starts with {@code prefix} use {@code format}. */
  void errorFormat(String prefix, Exchange.ErrorFormat format) {
    if (errorFormats.putIfAbsent(prefix, format) != null) {
      throw new IllegalArgumentException("an error format is already set for " + prefix);
    }
  }

  /** Returns the error format for a decoded path: the one of its prefix, or the default. */
  Exchange.ErrorFormat errorFormatFor(String path) {
    for (Map.Entry<String, Exchange.ErrorFormat> e : errorFormats.entrySet()) {
      if (path.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return Exchange.ErrorFormat.DEFAULT;
  }

  /** Finds the route for a method and a decoded path. */
  Match match(String method, String path) {
    List<String> segments = split(path);
    TreeSet<String> allowed = new TreeSet<>();
    Route best = null;
    Map<String, String> bestParams = Map.of();
    int bestLiterals = -1;
    for (Route r : routes) {
      Map<String, String> params = bind(r.segments(), segments);
      if (params == null) {
        continue;
      }
      allowed.add(r.method);
      if (!r.method.equals(method)) {
        continue;
      }
      int literals = literalCount(r.segments());
      if (literals > bestLiterals) {
        best = r;
        bestParams = params;
        bestLiterals = literals;
      }
    }
    return new Match(best, bestParams, List.copyOf(allowed));
  }

  private static @Nullable Map<String, String> bind(List<String> pattern, List<String> path) {
    if (pattern.size() != path.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      String s = path.get(i);
      if (p.startsWith("{")) {
        if (s.isEmpty()) {
          return null;
        }
        params.put(p.substring(1, p.length() - 1), s);
      } else if (!p.equals(s)) {
        return null;
      }
    }
    return params;
  }

  private static boolean sameShape(String a, String b) {
    List<String> x = split(a);
    List<String> y = split(b);
    if (x.size() != y.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      boolean px = x.get(i).startsWith("{");
      boolean py = y.get(i).startsWith("{");
      if (px != py || (!px && !x.get(i).equals(y.get(i)))) {
        return false;
      }
    }
    return true;
  }

  private static int literalCount(List<String> segments) {
    int n = 0;
    for (String s : segments) {
      if (!s.startsWith("{")) {
        n++;
      }
    }
    return n;
  }

  /** Splits "/a/b/" into [a, b, ""]: a trailing slash is a distinct, empty last segment. */
  static List<String> split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= p.length(); i++) {
      if (i == p.length() || p.charAt(i) == '/') {
        out.add(p.substring(start, i));
        start = i + 1;
      }
    }
    return out;
  }
}
