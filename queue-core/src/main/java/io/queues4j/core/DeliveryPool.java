package io.queues4j.core;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's default executor: daemon threads {@code queues4j-delivery-N}, created on demand and
 * kept 60 s when idle, as a cached pool does, with one difference. When a handler returns on a
 * delivery thread and its settlement frees a slot for the next batch of its queue, the queue asks
 * {@link #runNext} to run that batch on the same thread, instead of handing it to another thread.
 * That saves a thread hand-off per batch and keeps the pool at about {@code maxConcurrency} threads
 * (a plain cached pool would start a new thread, since the finishing one is not idle yet). Claims
 * that a producer or the timer chose run here too, followed on the same thread by the batch they
 * make possible (see {@code Claimer#claimSomewhere}).
 */
final class DeliveryPool implements Executor {
  private static final Logger logger = LoggerFactory.getLogger(DeliveryPool.class);

  private final NamedThreadFactory threads = new NamedThreadFactory("queues4j-delivery");
  private final ThreadPoolExecutor pool =
      new ThreadPoolExecutor(
          0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);

  /** The follow-up slot of the current delivery thread, while it runs a task of its pool. */
  private static final ThreadLocal<@Nullable Slot> CURRENT = new ThreadLocal<>();

  private static final class Slot {
    final DeliveryPool owner;
    @Nullable Runnable next;

    Slot(DeliveryPool owner) {
      this.owner = owner;
    }
  }

  @Override
  public void execute(Runnable task) {
    pool.execute(() -> runFrom(task));
  }

  /**
   * Runs {@code task} on the current thread right after its current task, if the current thread is
   * one of this pool's and has nothing lined up yet.
   *
   * @return whether the task was taken
   */
  boolean runNext(Runnable task) {
    Slot slot = CURRENT.get();
    if (slot == null || slot.owner != this || slot.next != null || pool.isShutdown()) {
      return false;
    }
    slot.next = task;
    return true;
  }

  private void runFrom(Runnable first) {
    Slot slot = new Slot(this);
    CURRENT.set(slot);
    try {
      Runnable task = first;
      while (task != null) {
        try {
          task.run();
        } catch (RuntimeException | Error e) { // an Invocation catches its handler's; this is ours
          logger.error("Delivery task failed", e);
        }
        task = slot.next;
        slot.next = null;
      }
    } finally {
      CURRENT.remove();
    }
  }

  /**
   * Stops the threads: interrupts running tasks and waits up to {@code millis} for them to end.
   * Called from one of its own threads, it neither interrupts nor waits for that one.
   */
  boolean shutdown(long millis) throws InterruptedException {
    boolean own = threads.onOwnThread();
    boolean wasInterrupted = Thread.currentThread().isInterrupted();
    pool.shutdownNow();
    if (own) {
      if (!wasInterrupted) {
        Thread.interrupted(); // shutdownNow interrupted every worker, the caller's too
      }
      return threads.joinAll(millis);
    }
    boolean terminated = pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    return terminated && threads.joinAll(millis);
  }

}
