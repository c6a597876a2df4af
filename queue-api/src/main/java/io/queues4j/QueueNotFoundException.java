package io.queues4j;

/** A queue name that has not been declared. */
public final class QueueNotFoundException extends QueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param queue the unknown queue name
   */
  public QueueNotFoundException(String queue) {
    super(queue, "Queue '" + queue + "' does not exist; declare it first");
  }
}
