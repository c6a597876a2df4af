package io.queues4j.core;

import org.slf4j.Logger;

/**
 * Logs throwables that come from user code (handlers, listeners, codecs, {@code waitUntil} stages)
 * without trusting them: a throwable whose {@code toString()}, {@code getMessage()} or stack trace
 * throws in turn is logged by its class name alone, so the engine's bookkeeping after the log line
 * always runs.
 */
final class FailureLog {
  private FailureLog() {}

  /**
   * Logs at WARN: {@code format} with {@code args}, then {@code failure} with its stack trace.
   * Never throws (except {@link VirtualMachineError}s raised by the logging itself, such as running
   * out of memory, which no caller can handle better).
   */
  static void warn(Logger logger, Throwable failure, String format, Object... args) {
    try {
      Object[] withCause = java.util.Arrays.copyOf(args, args.length + 1);
      withCause[args.length] = failure;
      logger.warn(format, withCause);
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError broken) {
      try {
        logger.warn(format + " (cause: a {} whose description threw {})",
            append(args, failure.getClass().getName(), broken.getClass().getName()));
      } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError ignored) {
        // an argument's toString() throws too; nothing more is safe to log
      }
    }
  }

  private static Object[] append(Object[] args, Object a, Object b) {
    Object[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = a;
    all[args.length + 1] = b;
    return all;
  }
}
