package io.queues4j.core;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The default {@link Scheduler}: one named daemon thread, owned and stopped by the engine. */
final class ThreadScheduler implements Scheduler {
  private final InstantSource clock;
  private final NamedThreadFactory threads = new NamedThreadFactory("queues4j-timer");
  private final ScheduledThreadPoolExecutor executor;

  ThreadScheduler(InstantSource clock) {
    this.clock = clock;
    this.executor = new ScheduledThreadPoolExecutor(1, threads);
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Instant at, Runnable task) {
    long delay = Math.max(0, at.toEpochMilli() - clock.millis());
    var future = executor.schedule(task, delay, TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }

  /**
   * Stops the timer thread and waits up to {@code millis} for it to end; called on that thread
   * (a handler run by a same-thread executor closing its engine), it neither interrupts nor waits.
   */
  boolean shutdown(long millis) throws InterruptedException {
    if (threads.onOwnThread()) {
      boolean wasInterrupted = Thread.currentThread().isInterrupted();
      executor.shutdownNow();
      if (!wasInterrupted) {
        Thread.interrupted();
      }
      return true;
    }
    executor.shutdownNow();
    return executor.awaitTermination(millis, TimeUnit.MILLISECONDS) && threads.joinAll(millis);
  }
}
