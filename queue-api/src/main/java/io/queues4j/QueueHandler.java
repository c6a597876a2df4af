package io.queues4j;

import static java.util.Objects.requireNonNull;

/**
 * A queue consumer: the counterpart of a Worker's {@code queue(batch, env, ctx)} handler.
 *
 * <p>The engine calls {@link #queue} with one batch at a time per invocation, from a thread of its
 * executor and never while holding an engine lock; up to the consumer's {@code maxConcurrency}
 * invocations may run at once, so an implementation that shares state across batches must be
 * thread-safe.
 *
 * @param <Body> the body type
 */
@FunctionalInterface
public interface QueueHandler<Body> {

  /**
   * Handles one batch. Returning normally acknowledges every message not explicitly marked (once
   * every {@link QueueContext#waitUntil} stage has completed); throwing retries every message not
   * explicitly acknowledged.
   *
   * @param batch the messages
   * @param ctx the invocation context
   * @throws Exception to fail the invocation
   */
  void queue(MessageBatch<Body> batch, QueueContext ctx) throws Exception;

  /**
   * Adapts a per-message verdict handler: each message is handed to {@code handler} in batch
   * order and acknowledged or retried by the {@link QueueResult} it returns. A message whose
   * handler call throws an {@link Exception} is retried (the exception is the reason) and the
   * remaining messages are still handled.
   *
   * <p>Failures are logged through SLF4J (logger {@code io.queues4j.VerdictAdapter}): at most one
   * WARN per batch, naming the failed messages and carrying the first exception; each failure and
   * each retry verdict also at DEBUG.
   *
   * @param handler the per-message handler
   * @param <Body> the body type
   * @return a batch handler
   * @throws NullPointerException if {@code handler} is {@code null}
   */
  static <Body> QueueHandler<Body> perMessage(MessageHandler<Body> handler) {
    requireNonNull(handler, "handler");
    return new VerdictAdapter<>(handler);
  }
}
