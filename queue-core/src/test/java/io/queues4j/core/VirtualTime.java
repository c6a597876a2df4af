package io.queues4j.core;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;

/**
 * Test fixture: a manual clock, a scheduler on that clock and an executor that defers every task
 * until {@link #runUntilIdle()}, so the engine runs on one thread in a defined order.
 */
final class VirtualTime implements InstantSource, Scheduler, Executor {
  private long now = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  private long sequence;
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.sequence, b.sequence));
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(now);
  }

  @Override
  public long millis() {
    return now;
  }

  @Override
  public Cancellable schedule(Instant at, Runnable task) {
    Timer timer = new Timer(at.toEpochMilli(), sequence++, task);
    timers.add(timer);
    return () -> timers.remove(timer);
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
  }

  /** Runs deferred tasks and due timers until none is left at the current time. */
  void runUntilIdle() {
    while (true) {
      Runnable task = tasks.poll();
      if (task != null) {
        task.run();
        continue;
      }
      Timer timer = timers.peek();
      if (timer != null && timer.at <= now) {
        timers.poll();
        timer.task.run();
        continue;
      }
      return;
    }
  }

  /** Moves time forward, stopping at every timer on the way, and runs what becomes due. */
  void advance(Duration duration) {
    long target = now + duration.toMillis();
    runUntilIdle();
    Timer next;
    while ((next = timers.peek()) != null && next.at <= target) {
      now = Math.max(now, next.at);
      runUntilIdle();
    }
    now = target;
    runUntilIdle();
  }

  int pendingTasks() {
    return tasks.size();
  }

  int pendingTimers() {
    return timers.size();
  }

  private record Timer(long at, long sequence, Runnable task) {}
}
