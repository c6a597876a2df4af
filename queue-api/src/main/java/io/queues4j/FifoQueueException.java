package io.queues4j;

/**
 * A send that breaks the rules of FIFO queues (queue-run's): every send to a FIFO queue (a name
 * ending in {@code .fifo}) needs a group id; a standard queue takes no group or deduplication id;
 * a FIFO queue takes no per-message delay (only the queue's delivery delay), since a delayed
 * message would hold back its whole group. Nothing of the send was enqueued.
 */
public final class FifoQueueException extends QueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param queue the queue concerned
   * @param operation the operation, e.g. {@code "send"}
   * @param problem what is wrong, as a sentence fragment naming the value
   */
  public FifoQueueException(String queue, String operation, String problem) {
    super(queue, "Queue " + operation + " failed: " + problem + " (queue '" + queue + "')");
  }
}
