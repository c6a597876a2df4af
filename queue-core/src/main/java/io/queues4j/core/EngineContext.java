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

  /**
   * Batches of dead letters removed from their queue but not yet added to their dead-letter queue;
   * shutdown waits for none to be in transit, so its report counts them where they land.
   */
  final AtomicInteger deadLettersInTransit = new AtomicInteger();

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
      @Nullable QueueListener listener,
      Map<String, QueueRuntime> queues,
      MessageIds ids) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.executor = executor;
    this.ids = ids;
    this.codec = codec;
    this.limits = limits;
    this.listener = listener;
    this.budget = new BacklogBudget(backlogMemoryLimit);
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
    } catch (RuntimeException e) {
      logger.warn("QueueListener failed on {}", event, e);
    }
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

  /** Wakes {@link #awaitIdle}; called by a queue whose last invocation ended while closing. */
  void signalIdle() {
    idleLock.lock();
    try {
      idle.signalAll();
    } finally {
      idleLock.unlock();
    }
  }

  /** Waits, in real time, until {@code isIdle} holds or {@code nanos} have passed. */
  boolean awaitIdle(BooleanSupplier isIdle, long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    idleLock.lock();
    try {
      while (!isIdle.getAsBoolean()) {
        long remaining = deadline - System.nanoTime();
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
