package io.queues4j;

import static java.util.Objects.requireNonNull;

/**
 * Base of the failures a queue operation reports: a send that breaks a limit, a body that cannot
 * be encoded, a queue that does not exist, an engine that is closed. Unchecked, and delivered
 * through the future a send returns.
 */
public class QueueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The queue concerned. */
  private final String queue;

  /**
   * Creates an exception.
   *
   * @param queue the queue concerned
   * @param message the detail message, naming the limit and the value where there is one
   */
  public QueueException(String queue, String message) {
    super(message);
    this.queue = requireNonNull(queue, "queue");
  }

  /**
   * Creates an exception with a cause.
   *
   * @param queue the queue concerned
   * @param message the detail message
   * @param cause the cause
   */
  public QueueException(String queue, String message, Throwable cause) {
    super(message, cause);
    this.queue = requireNonNull(queue, "queue");
  }

  /**
   * Returns the name of the queue concerned.
   *
   * @return the queue name
   */
  public String queue() {
    return queue;
  }
}
