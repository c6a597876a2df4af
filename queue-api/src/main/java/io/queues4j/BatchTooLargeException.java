package io.queues4j;

/** A batch whose encoded bodies add up to more than the batch limit (256,000 bytes by default). */
public final class BatchTooLargeException extends QueueException {
  private static final long serialVersionUID = 1L;

  /** The limit, in bytes. */
  private final long limitBytes;

  /** The total encoded size, in bytes. */
  private final long actualBytes;

  /**
   * Creates the exception.
   *
   * @param queue the queue concerned
   * @param limitBytes the limit
   * @param actualBytes the total encoded size of the batch
   */
  public BatchTooLargeException(String queue, long limitBytes, long actualBytes) {
    super(
        queue,
        "Queue sendBatch failed: batch size of "
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
   * Returns the total encoded size of the batch.
   *
   * @return the size in bytes
   */
  public long actualBytes() {
    return actualBytes;
  }
}
