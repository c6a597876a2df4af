package io.queues4j;

/** A message whose encoded body is larger than the per-message limit (128,000 bytes by default). */
public final class MessageTooLargeException extends QueueException {
  private static final long serialVersionUID = 1L;

  /** The limit, in bytes. */
  private final long limitBytes;

  /** The encoded size, in bytes. */
  private final long actualBytes;

  /**
   * Creates the exception.
   *
   * @param queue the queue concerned
   * @param operation {@code "send"} or {@code "sendBatch"}
   * @param limitBytes the limit
   * @param actualBytes the encoded size of the body
   */
  public MessageTooLargeException(
      String queue, String operation, long limitBytes, long actualBytes) {
    super(
        queue,
        "Queue "
            + operation
            + " failed: message length of "
            + actualBytes
            + " bytes exceeds limit of "
            + limitBytes
            + " (queue '"
            + queue
            + "')");
    this.limitBytes = limitBytes;
    this.actualBytes = actualBytes;
  }

  /**
   * Returns the limit.
   *
   * @return the limit in bytes
   */
  public long limitBytes() {
    return limitBytes;
  }

  /**
   * Returns the encoded size of the body.
   *
   * @return the size in bytes
   */
  public long actualBytes() {
    return actualBytes;
  }
}
