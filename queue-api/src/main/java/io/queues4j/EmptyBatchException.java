package io.queues4j;

/** A {@code sendBatch} with no messages; Cloudflare requires at least one. */
public final class EmptyBatchException extends QueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param queue the queue concerned
   */
  public EmptyBatchException(String queue) {
    super(queue, "Queue sendBatch failed: sendBatch() requires at least one message (queue '"
        + queue + "')");
  }
}
