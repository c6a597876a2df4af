package io.queues4j;

/** A batch with more messages than the batch limit (100 by default). */
public final class TooManyMessagesException extends QueueException {
  private static final long serialVersionUID = 1L;

  /** The limit. */
  private final int limit;

  /** The number of messages in the batch. */
  private final int actual;

  /**
   * Creates the exception.
   *
   * @param queue the queue concerned
   * @param limit the most messages a batch may hold
   * @param actual the number of messages in the batch
   */
  public TooManyMessagesException(String queue, int limit, int actual) {
    this(queue, limit, actual, false);
  }

  /**
   * Creates the exception for a batch whose size may be known only in part: a sender stops
   * reading an {@link Iterable} at the first message past the limit.
   *
   * @param queue the queue concerned
   * @param limit the most messages a batch may hold
   * @param actual the number of messages in the batch, or the number read if {@code atLeast}
   * @param atLeast whether the batch has {@code actual} or more messages
   */
  public TooManyMessagesException(String queue, int limit, int actual, boolean atLeast) {
    super(
        queue,
        "Queue sendBatch failed: batch message count of "
            + (atLeast ? "at least " : "")
            + actual
            + " exceeds limit of "
            + limit
            + " (queue '"
            + queue
            + "')");
    this.limit = limit;
    this.actual = actual;
  }

  /**
   * Returns the limit.
   *
   * @return the most messages a batch may hold
   */
  public int limit() {
    return limit;
  }

  /**
   * Returns the number of messages in the batch, or how many were read before the sender stopped
   * (then the batch has at least that many).
   *
   * @return the count
   */
  public int actual() {
    return actual;
  }
}
