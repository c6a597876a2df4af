package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * An executor that only queues: tasks run, in submission order, on the thread that calls {@link
 * #runOne}. So {@code send()} never runs a handler re-entrantly. Thread-safe.
 */
final class DeferredExecutor implements Executor {
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

  @Override
  public void execute(Runnable task) {
    tasks.add(requireNonNull(task, "task"));
  }

  /** Runs the oldest queued task; returns false if there is none. */
  boolean runOne() {
    Runnable task = tasks.poll();
    if (task == null) {
      return false;
    }
    task.run();
    return true;
  }

  /** Runs queued tasks, including those they queue, until none is left. */
  void runAll() {
    while (runOne()) {
      // keep going
    }
  }

  boolean isEmpty() {
    return tasks.isEmpty();
  }

  void clear() {
    tasks.clear();
  }
}
