package io.queues4j.core;

import java.time.InstantSource;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every queue of one engine shares: its clock, scheduler, executor, id generator and codec,
 * and the lifecycle flags that {@link QueueEngine#shutdown} flips.
 */
final class EngineContext {
  private static final Logger logger = LoggerFactory.getLogger(EngineContext.class);

  final InstantSource clock;
  final Scheduler scheduler;
  final Executor executor;
  final MessageIds ids;
  final MessageCodec codec;
  final QueueLimits limits;
  final BacklogBudget budget;
  final io.queues4j.spi.MessageStore store;
  /** What sends waiting for room hold in memory, with its own limit. */
  final BacklogBudget waitingBudget;
  final int defaultMaxConcurrency;

  /**
   * Work in progress over every queue: invocations holding a concurrency slot, plus batches of dead
   * letters removed from their queue but not yet added to their dead-letter queue. Exact by
   * construction: an invocation counts from its claim until its slot is freed, and the dead
   * letters it produces start counting, under the same queue lock, before it stops; so once
   * dispatching has stopped, zero means nothing is running and nothing is in transit, and the
   * shutdown report counts every message where it lies.
   */
  final AtomicInteger work = new AtomicInteger();

  /** Sends waiting for room, over every queue; lets a queue skip waking others when zero. */
  final AtomicInteger waitingSends = new AtomicInteger();

  private final Map<String, QueueRuntime> queues;
  private final @Nullable QueueListener listener;

  private volatile boolean accepting = true;
  private final ReentrantLock idleLock = new ReentrantLock();
  private final Condition idle = idleLock.newCondition();

  EngineContext(
      InstantSource clock,
      Scheduler scheduler,
      Executor executor,
      MessageCodec codec,
      QueueLimits limits,
      long backlogMemoryLimit,
      long waitingSendsMemoryLimit,
      int defaultMaxConcurrency,
      @Nullable QueueListener listener,
      Map<String, QueueRuntime> queues,
      MessageIds ids,
      io.queues4j.spi.MessageStore store) {
    this.store = store;
    this.clock = clock;
    this.scheduler = scheduler;
    this.executor = executor;
    this.ids = ids;
    this.codec = codec;
    this.limits = limits;
    this.listener = listener;
    this.budget = new BacklogBudget(backlogMemoryLimit);
    this.waitingBudget = new BacklogBudget(waitingSendsMemoryLimit);
    this.defaultMaxConcurrency = defaultMaxConcurrency;
    this.queues = queues;
  }

  /** Lets queues with waiting sends use room that {@code source} freed in the shared budget. */
  void roomFreed(QueueRuntime source) {
    for (QueueRuntime queue : queues.values()) {
      if (queue != source && queue.hasWaitingSends()) {
        queue.pump();
      }
    }
  }

  /** Tells whether events are wanted; callers skip building them otherwise. */
  boolean listening() {
    return listener != null;
  }

  /** Reports an event; call with no lock held. A failing listener is logged, not propagated. */
  void emit(QueueEvent event) {
    QueueListener l = listener;
    if (l == null) {
      return;
    }
    try {
      l.onEvent(event);
    } catch (Throwable t) { // an Error too: a listener must never unbalance the engine's books
      FailureLog.warn(logger, t, "QueueListener failed on a {} event of queue '{}'",
          event.getClass().getSimpleName(), event.queue());
    }
  }

  /**
   * Reads the clock for a new message's timestamp.
   *
   * @throws IllegalStateException if the clock reads before 1970, where message timestamps (epoch
   *     milliseconds, as Cloudflare's) would be negative; nothing has been sent
   */
  long sendTime() {
    long now = clock.millis();
    if (now < 0) {
      throw new IllegalStateException(
          "the engine's clock reads " + Instant.ofEpochMilli(now)
              + ", before 1970-01-01T00:00:00Z; message timestamps must not be negative");
    }
    return now;
  }

  Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  boolean accepting() {
    return accepting;
  }

  void stopAccepting() {
    accepting = false;
  }

  /** Runs once when no work is left after closing (see {@link #whenIdle}). */
  private final java.util.concurrent.atomic.AtomicReference<@Nullable Runnable> whenIdle =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** Wakes {@link #awaitIdle}; called by a queue whose last invocation ended while closing. */
  void signalIdle() {
    idleLock.lock();
    try {
      idle.signalAll();
    } finally {
      idleLock.unlock();
    }
    if (work.get() == 0) {
      Runnable action = whenIdle.getAndSet(null);
      if (action != null) {
        action.run();
      }
    }
  }

  /**
   * Runs {@code action} once no work is left (at once if none is): closing the store only after
   * the settlement of a handler that closed the engine from inside, which is still running.
   */
  void whenIdle(Runnable action) {
    whenIdle.set(action);
    signalIdle();
  }

  /**
   * Waits until {@code isIdle} holds or {@code grace} has passed: on the scheduler's time if it
   * {@linkplain Scheduler#driveUntil drives} the engine, else in real time.
   */
  boolean awaitIdle(BooleanSupplier isIdle, java.time.Duration grace) throws InterruptedException {
    long graceMillis = Durations.saturatedMillis(grace);
    Instant deadline =
        graceMillis == Long.MAX_VALUE
            ? Instant.MAX
            : Instant.ofEpochMilli(Durations.saturatedAdd(clock.millis(), graceMillis));
    if (scheduler.driveUntil(isIdle, deadline)) {
      return isIdle.getAsBoolean();
    }
    long nanos = Durations.saturatedNanos(grace);
    long start = System.nanoTime();
    idleLock.lock();
    try {
      while (!isIdle.getAsBoolean()) {
        long remaining = nanos - (System.nanoTime() - start);
        if (remaining <= 0) {
          return false;
        }
        idle.awaitNanos(remaining);
      }
      return true;
    } finally {
      idleLock.unlock();
    }
  }
}
