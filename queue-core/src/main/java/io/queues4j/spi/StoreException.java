package io.queues4j.spi;

/**
 * A store could not do what it was asked: the disk is full, the file is read-only or corrupt, the
 * database is unreachable. The operation changed nothing. A send that fails this way fails with a
 * {@link io.queues4j.QueueStorageException} that has this as its cause.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the store (a file, a database) and the operation
   * @param cause the underlying failure, if any
   */
  public StoreException(String message, @org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
  }
}
