package io.queues4j.examples;

/** A job attempt that failed; the consumer retries the job with backoff. */
final class JobFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  JobFailedException(String message) {
    super(message);
  }
}
