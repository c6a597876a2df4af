package io.queues4j;

/**
 * Tells a handler that its invocation timed out, as queue-run's {@code signal}: the batch is then
 * settled as failed (every message not acknowledged is retried) whatever the handler does next, so
 * long-running work should stop. Poll {@link #aborted()} or register a callback.
 *
 * <p><b>Thread-safety:</b> safe to use from any thread.
 */
public interface AbortSignal {

  /** A signal that never aborts. */
  AbortSignal NEVER =
      new AbortSignal() {
        @Override
        public boolean aborted() {
          return false;
        }

        @Override
        public void onAbort(Runnable callback) {
          java.util.Objects.requireNonNull(callback, "callback");
        }
      };

  /**
   * Tells whether the invocation has timed out.
   *
   * @return {@code true} once it has
   */
  boolean aborted();

  /**
   * Registers a callback to run once when the invocation times out, on the thread that times it
   * out (never under an engine lock); at once, on the caller's thread, if it already has.
   * Callbacks must be quick; one that throws is logged and ignored.
   *
   * @param callback what to run
   * @throws NullPointerException if {@code callback} is {@code null}
   */
  void onAbort(Runnable callback);
}
