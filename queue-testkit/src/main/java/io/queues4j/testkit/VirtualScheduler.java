package io.queues4j.testkit;

import io.queues4j.core.Scheduler;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;

/**
 * The engine's timers on virtual time: nothing runs until {@link #runOneDue} is called with a time
 * at or after the timer's. Timers due at the same instant run in the order they were scheduled.
 * Thread-safe; a task never runs under the scheduler's lock.
 */
final class VirtualScheduler implements Scheduler {
  private final Object lock = new Object();
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.sequence, b.sequence));
  private long sequence; // guarded by lock
  private final BiPredicate<BooleanSupplier, Instant> driver;

  /** @param driver runs the kit's virtual time for a closing engine; see {@link #driveUntil} */
  VirtualScheduler(BiPredicate<BooleanSupplier, Instant> driver) {
    this.driver = driver;
  }

  @Override
  public boolean driveUntil(BooleanSupplier idle, Instant deadline) {
    return driver.test(idle, deadline);
  }

  @Override
  public Cancellable schedule(Instant at, Runnable task) {
    synchronized (lock) {
      Timer timer = new Timer(at.toEpochMilli(), sequence++, task);
      timers.add(timer);
      return () -> {
        synchronized (lock) {
          timers.remove(timer);
        }
      };
    }
  }

  /** Returns when the next timer is due, or {@link Long#MAX_VALUE} if there is none. */
  long nextDueAt() {
    synchronized (lock) {
      Timer next = timers.peek();
      return next == null ? Long.MAX_VALUE : next.at;
    }
  }

  /** Runs the first timer due at or before {@code now}; returns false if there is none. */
  boolean runOneDue(long now) {
    Timer due;
    synchronized (lock) {
      Timer next = timers.peek();
      if (next == null || next.at > now) {
        return false;
      }
      due = timers.poll();
    }
    due.task.run();
    return true;
  }

  void clear() {
    synchronized (lock) {
      timers.clear();
    }
  }

  private record Timer(long at, long sequence, Runnable task) {}
}
