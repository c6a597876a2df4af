package io.queues4j.benchmarks;

import io.queues4j.core.Scheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} that runs nothing by itself: {@link #runDue(long)} runs, on the caller's
 * thread, every task due by then. With {@link ManualClock} it makes "the time of a delayed message
 * comes" an instantaneous, measurable step. Thread-safe.
 */
final class ManualScheduler implements Scheduler {
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>((a, b) -> Long.compare(a.atMillis, b.atMillis));

  @Override
  public synchronized Cancellable schedule(Instant at, Runnable task) {
    Task t = new Task(at.toEpochMilli(), task);
    tasks.add(t);
    return () -> cancel(t);
  }

  private synchronized void cancel(Task task) {
    tasks.remove(task);
  }

  /**
   * Runs every task due at {@code nowMillis}, including those the tasks schedule for then.
   *
   * @return how many ran
   */
  int runDue(long nowMillis) {
    int ran = 0;
    while (true) {
      List<Task> due = new ArrayList<>();
      synchronized (this) {
        Task next;
        while ((next = tasks.peek()) != null && next.atMillis <= nowMillis) {
          due.add(tasks.poll());
        }
      }
      if (due.isEmpty()) {
        return ran;
      }
      for (Task task : due) {
        task.runnable.run();
        ran++;
      }
    }
  }

  synchronized int pending() {
    return tasks.size();
  }

  private static final class Task {
    final long atMillis;
    final Runnable runnable;

    Task(long atMillis, Runnable runnable) {
      this.atMillis = atMillis;
      this.runnable = runnable;
    }
  }
}
