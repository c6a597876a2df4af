package io.queues4j;

/** A send to an engine that has been closed. */
public final class QueueClosedException extends QueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param queue the queue concerned
   */
  public QueueClosedException(String queue) {
    super(queue, "Queue send failed: the engine is closed and accepts no messages (queue '"
        + queue + "')");
  }
}
