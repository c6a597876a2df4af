package io.queues4j;

import java.util.concurrent.CompletionStage;

/**
 * The execution context of one handler invocation; the counterpart of a Worker's {@code ctx}.
 *
 * <p><b>Thread-safety:</b> safe to use from any thread while the invocation lasts.
 */
public interface QueueContext {

  /**
   * Extends the invocation until {@code stage} completes, as {@code ctx.waitUntil()} does on
   * Workers. The batch is settled only once the handler has returned and every stage has completed;
   * a stage that completes exceptionally fails the invocation, so every message not explicitly
   * acknowledged is retried. Stages still pending at the handler timeout count as failed.
   *
   * <p>A stage registered after the invocation has ended is ignored with a warning.
   *
   * @param stage the work to wait for
   * @throws NullPointerException if {@code stage} is {@code null}
   */
  void waitUntil(CompletionStage<?> stage);

  /**
   * Returns the signal raised when the invocation times out (its {@code handlerTimeout}, queue-run's
   * {@code config.timeout}).
   *
   * @return the invocation's abort signal; {@link AbortSignal#NEVER} where there is no timeout
   */
  default AbortSignal signal() {
    return AbortSignal.NEVER;
  }
}
