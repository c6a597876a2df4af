package io.queues4j.http;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A queue exposed as an HTTP {@code POST} route, as queue-run's {@code export const post =
 * queue.http} does: the request body becomes a job on the engine queue and the answer is {@code
 * 202 Accepted} with the job id in {@code X-Job-Id}.
 *
 * <p>Bodies by content type: {@code application/json}, any JSON value; {@code
 * application/x-www-form-urlencoded} and {@code multipart/form-data}, an object of the fields'
 * string values (a repeated field keeps its last value; file parts are refused); {@code
 * text/plain}, a non-empty string. The path may hold {@code {name}} parameters; their values are
 * stored with the job as {@code params}. The stored message is the job envelope described in
 * {@code docs/HTTP.md}. A FIFO queue's route (queue name ending in {@code .fifo}) must capture
 * the group id as {@code {group}} and may capture the deduplication id as {@code {dedupe}}, as
 * queue-run's {@code [group]} and {@code [dedupe]}.
 *
 * <p>The engine queue must be declared before the server starts; its consumer is the
 * application's own. Immutable and thread-safe.
 */
public final class QueueRunRoute {
  /** JSON documents. */
  public static final String JSON = "application/json";
  /** URL-encoded HTML forms. */
  public static final String FORM = "application/x-www-form-urlencoded";
  /** Multipart HTML forms (fields only, no files). */
  public static final String MULTIPART = "multipart/form-data";
  /** Plain text. */
  public static final String TEXT = "text/plain";

  private static final List<String> ALL = List.of(JSON, FORM, MULTIPART, TEXT);

  private final String path;
  private final String queue;
  private final List<String> accepts;

  private QueueRunRoute(String path, String queue, List<String> accepts) {
    this.path = path;
    this.queue = queue;
    this.accepts = accepts;
  }

  /**
   * Exposes {@code queue} at {@code path}, accepting all four content types.
   *
   * @param path the route, starting with {@code /}, e.g. {@code /tasks} or {@code
   *     /users/{id}/updates}
   * @param queue the engine queue that receives the jobs
   * @return the route
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if the path does not start with {@code /}, has an empty or
   *     dot segment or a malformed parameter, or the queue name is blank
   */
  public static QueueRunRoute of(String path, String queue) {
    requireNonNull(path, "path");
    requireNonNull(queue, "queue");
    new Router().add("POST", path, true, ex -> {}); // validates the pattern
    if (queue.endsWith(".fifo") && !path.contains("{group}")) {
      throw new IllegalArgumentException("the route of FIFO queue '" + queue + "' must capture the"
          + " group id as a {group} path parameter (and may capture {dedupe}), but was '" + path
          + "'");
    }
    if (queue.isBlank()) {
      throw new IllegalArgumentException("queue must not be blank");
    }
    return new QueueRunRoute(path, queue, ALL);
  }

  /**
   * Returns a copy that accepts only the given content types, as queue-run's {@code
   * config.accepts}; requests with any other type are answered {@code 415}.
   *
   * @param mediaTypes one or more of {@link #JSON}, {@link #FORM}, {@link #MULTIPART} and {@link
   *     #TEXT}
   * @return the new route
   * @throws IllegalArgumentException if the list is empty or names another type
   */
  public QueueRunRoute accepting(String... mediaTypes) {
    requireNonNull(mediaTypes, "mediaTypes");
    Set<String> set = new LinkedHashSet<>();
    for (String t : mediaTypes) {
      String type = requireNonNull(t, "mediaType").toLowerCase(Locale.ROOT);
      if (!ALL.contains(type)) {
        throw new IllegalArgumentException(
            "media type must be one of " + ALL + " but was '" + t + "'");
      }
      set.add(type);
    }
    if (set.isEmpty()) {
      throw new IllegalArgumentException("accepting needs at least one media type");
    }
    return new QueueRunRoute(path, queue, List.copyOf(set));
  }

  /**
   * Returns the route's path pattern.
   *
   * @return the path
   */
  public String path() {
    return path;
  }

  /**
   * Returns the engine queue that receives the jobs.
   *
   * @return the queue name
   */
  public String queue() {
    return queue;
  }

  /**
   * Returns the accepted content types.
   *
   * @return an unmodifiable list
   */
  public List<String> accepts() {
    return accepts;
  }

  @Override
  public String toString() {
    return "QueueRunRoute{POST " + path + " -> " + queue + ", accepts=" + accepts + "}";
  }
}
