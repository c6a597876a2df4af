package io.queues4j;

/**
 * A pull refused because the queue's delivery is paused (Cloudflare's {@code delivery_paused}
 * setting): sends are still accepted and kept; nothing is delivered until delivery resumes.
 */
public final class QueuePausedException extends QueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param queue the paused queue
   */
  public QueuePausedException(String queue) {
    super(queue, "Queue pull failed: delivery of queue '" + queue + "' is paused");
  }
}
