package io.queues4j;

import static java.util.Objects.requireNonNull;

/**
 * A send refused because the queue's storage failed: the disk is full, the database file is
 * read-only, corrupt or gone, the database is unreachable. Nothing of the send was stored. The
 * cause is the store's own exception.
 */
public final class QueueStorageException extends QueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param queue the queue concerned
   * @param operation the operation that failed, e.g. {@code "send"} or {@code "sendBatch"}
   * @param cause the store's failure
   */
  public QueueStorageException(String queue, String operation, Throwable cause) {
    super(
        queue,
        "Queue " + operation + " failed: storage failed for queue '" + queue + "': "
            + requireNonNull(cause, "cause").getMessage(),
        cause);
  }
}
