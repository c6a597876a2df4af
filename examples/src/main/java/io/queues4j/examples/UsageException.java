package io.queues4j.examples;

/** A command-line option that is unknown, missing its value, or out of range. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
