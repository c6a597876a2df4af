package io.queues4j.core;

import java.time.InstantSource;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * What every queue of one engine shares: its clock, scheduler, executor, id generator and codec,
 * and the lifecycle flags that {@link QueueEngine#shutdown} flips.
 */
final class EngineContext {
  final InstantSource clock;
  final Scheduler scheduler;
  final Executor executor;
  final MessageIds ids;
  final MessageCodec codec;
  final QueueLimits limits;

  private volatile boolean accepting = true;
  private final ReentrantLock idleLock = new ReentrantLock();
  private final Condition idle = idleLock.newCondition();

  EngineContext(
      InstantSource clock,
      Scheduler scheduler,
      Executor executor,
      MessageCodec codec,
      QueueLimits limits) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.executor = executor;
    this.ids = new MessageIds();
    this.codec = codec;
    this.limits = limits;
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
