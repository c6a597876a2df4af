package io.queues4j.core;

import java.time.Instant;

/**
 * The engine's only source of timers: batch timeouts, delayed messages, retry delays and handler
 * timeouts all become one wake-up per queue, scheduled here. The default runs on one named daemon
 * thread, {@code queues4j-timer}, and measures time with the engine's clock; a test harness
 * supplies its own to drive the engine on virtual time.
 *
 * <p>Implementations must be thread-safe, must not run {@code task} inside {@link #schedule}, and
 * may run a task late (the engine reads its clock when woken and does whatever is due).
 */
public interface Scheduler {

  /**
   * Arranges for {@code task} to run once, at or after {@code at} on the engine's clock.
   *
   * @param at when to run
   * @param task what to run; it takes no engine lock on entry and returns quickly
   * @return a handle to cancel the task
   */
  Cancellable schedule(Instant at, Runnable task);

  /**
   * Drives a closing engine on this scheduler's time: called once by {@link QueueEngine#shutdown}
   * with a condition that holds when no invocation is left in flight. A scheduler on virtual time
   * runs the engine's pending work and timers, moving its clock forward, until {@code idle} holds
   * or its clock reaches {@code deadline}, and returns {@code true}; the engine then stops waiting.
   * The default returns {@code false} at once, and the engine waits for its in-flight invocations
   * in real time.
   *
   * @param idle true once the engine has nothing in flight; cheap, thread-safe
   * @param deadline the end of the grace period on the engine's clock ({@link Instant#MAX} if the
   *     grace period has no end)
   * @return whether this scheduler drove the engine
   */
  default boolean driveUntil(java.util.function.BooleanSupplier idle, Instant deadline) {
    return false;
  }

  /** A scheduled task that has not necessarily run. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not started; does nothing otherwise. */
    void cancel();
  }
}
