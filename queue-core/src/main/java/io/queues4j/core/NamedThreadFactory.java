package io.queues4j.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates daemon threads named {@code prefix-N}, so every engine thread is identifiable, and
 * remembers them so that closing the engine can wait until each one has really ended.
 */
final class NamedThreadFactory implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger next = new AtomicInteger(1);
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  NamedThreadFactory(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable task) {
    threads.removeIf(t -> !t.isAlive() && t.getState() == Thread.State.TERMINATED);
    Thread thread = new Thread(task, prefix + "-" + next.getAndIncrement());
    thread.setDaemon(true);
    threads.add(thread);
    return thread;
  }

  /** Tells whether the current thread is one of this factory's. */
  boolean onOwnThread() {
    return threads.contains(Thread.currentThread());
  }

  /**
   * Waits up to {@code millis} in all for every thread created here to end, except the current
   * thread (a handler closing its engine), which ends when it returns.
   */
  boolean joinAll(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (Thread thread : threads) {
      if (thread == Thread.currentThread()) {
        continue;
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      thread.join(left);
      if (thread.isAlive()) {
        return false;
      }
    }
    return true;
  }
}
