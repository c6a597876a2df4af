package io.queues4j.server;

/**
 * A command line the server cannot understand (an unknown flag, a missing value): the program
 * prints the one-line message and exits with status 2.
 */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
