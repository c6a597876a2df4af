package io.queues4j;

import static java.util.Objects.requireNonNull;

/**
 * A send refused because the backlog would grow past a limit: the queue's own byte or message
 * limit, or the engine's memory budget shared by every queue. Cloudflare's hosted service fails
 * such sends with "Storage Limit Exceeded". Nothing of the refused send is enqueued.
 */
public final class StorageLimitExceededException extends QueueException {
  private static final long serialVersionUID = 1L;

  /** What the limit measures. */
  private final String unit;

  /** The limit. */
  private final long limit;

  /** The backlog when the send was refused, in {@link #unit()}. */
  private final long backlog;

  /** What the send would have added, in {@link #unit()}. */
  private final long requested;

  /**
   * Creates the exception.
   *
   * @param queue the queue concerned
   * @param scope whose limit: {@code "queue 'name'"} or {@code "engine"}
   * @param unit what the limit measures, e.g. {@code "bytes"} or {@code "messages"}
   * @param limit the limit
   * @param backlog the current backlog
   * @param requested what the send would have added
   * @param waited whether the send waited for room before failing
   */
  public StorageLimitExceededException(
      String queue,
      String scope,
      String unit,
      long limit,
      long backlog,
      long requested,
      boolean waited) {
    super(
        queue,
        "Queue send failed: Storage Limit Exceeded: "
            + scope
            + " backlog of "
            + backlog
            + " "
            + unit
            + " plus "
            + requested
            + " would exceed its limit of "
            + limit
            + " "
            + unit
            + (waited ? ", and no room was made before the send's wait ended" : "")
            + " (queue '"
            + queue
            + "')");
    this.unit = requireNonNull(unit, "unit");
    this.limit = limit;
    this.backlog = backlog;
    this.requested = requested;
  }

  /**
   * Returns what the limit measures.
   *
   * @return {@code "bytes"}, {@code "messages"} or {@code "heap bytes"}
   */
  public String unit() {
    return unit;
  }

  /**
   * Returns the limit.
   *
   * @return the limit, in {@link #unit()}
   */
  public long limit() {
    return limit;
  }

  /**
   * Returns the backlog when the send was refused.
   *
   * @return the backlog, in {@link #unit()}
   */
  public long backlog() {
    return backlog;
  }

  /**
   * Returns what the send would have added.
   *
   * @return the amount, in {@link #unit()}
   */
  public long requested() {
    return requested;
  }
}
