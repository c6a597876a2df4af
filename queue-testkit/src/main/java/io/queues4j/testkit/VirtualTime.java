package io.queues4j.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Drives a {@link ManualClock}, a {@link VirtualScheduler} and a {@link DeferredExecutor} together:
 * at each instant it runs queued tasks and due timers until none is left, then moves to the next
 * timer. One thread at a time; a task that calls back into {@link #advance} or {@link
 * #runUntilIdle} is refused, because time cannot move inside a handler.
 */
final class VirtualTime {
  final ManualClock clock;
  final VirtualScheduler scheduler = new VirtualScheduler(this::driveUntil);
  final DeferredExecutor executor = new DeferredExecutor();
  private final int stepLimit;
  private boolean running; // confined to the driving thread by the re-entrancy check
  private volatile boolean frozen; // the kit is closing: nothing runs any more
  private long steps;

  VirtualTime(ManualClock clock, int stepLimit) {
    this.clock = clock;
    this.stepLimit = stepLimit;
  }

  void advance(Duration duration) {
    long millis = duration.compareTo(Duration.ofMillis(Long.MAX_VALUE)) >= 0
        ? Long.MAX_VALUE : duration.toMillis();
    long now = clock.millis();
    long target = now + millis < now ? Long.MAX_VALUE : now + millis; // saturate, never overflow
    drive(
        () -> {
          runCurrent();
          long next;
          while ((next = scheduler.nextDueAt()) <= target) {
            clock.moveTo(next);
            runCurrent();
          }
          clock.moveTo(target);
          runCurrent();
        });
  }

  /**
   * Runs everything due now, then jumps from timer to timer until {@code idle} says no timer can
   * matter any more, or no timer is left.
   */
  void runUntilIdle(BooleanSupplier idle) {
    drive(
        () -> {
          runCurrent();
          long next;
          while (!idle.getAsBoolean() && (next = scheduler.nextDueAt()) != Long.MAX_VALUE) {
            clock.moveTo(next);
            runCurrent();
          }
        });
  }

  /**
   * Drives a closing engine (see {@link io.queues4j.core.Scheduler#driveUntil}): runs queued tasks
   * and timers up to {@code deadline} until {@code idle} holds. Inside a handler, where time cannot
   * move, or once the kit is closing, it runs nothing and the engine stops waiting at once.
   */
  boolean driveUntil(BooleanSupplier idle, Instant deadline) {
    if (running || frozen) {
      return true;
    }
    long end = deadline.isAfter(Instant.ofEpochMilli(Long.MAX_VALUE))
        ? Long.MAX_VALUE : deadline.toEpochMilli();
    drive(
        () -> {
          runCurrent();
          long next;
          while (!idle.getAsBoolean() && (next = scheduler.nextDueAt()) <= end) {
            clock.moveTo(next);
            runCurrent();
          }
          if (!idle.getAsBoolean() && end != Long.MAX_VALUE) {
            clock.moveTo(end); // the grace period passes in full
            runCurrent();
          }
        });
    return true;
  }

  /** Stops running anything: the kit is closing. */
  void freeze() {
    frozen = true;
  }

  private void drive(Runnable body) {
    if (running) {
      throw new IllegalStateException(
          "advance() and runUntilIdle() must not be called from a handler or from a task they"
              + " run: time cannot move while a handler runs");
    }
    running = true;
    steps = 0;
    try {
      body.run();
    } finally {
      running = false;
    }
  }

  /** Runs queued tasks and timers due at the current time until none is left. */
  private void runCurrent() {
    while (true) {
      if (executor.runOne() || scheduler.runOneDue(clock.millis())) {
        if (++steps > stepLimit) {
          throw new IllegalStateException(
              "still not idle after " + stepLimit + " tasks at " + clock.instant()
                  + ": a handler or consumer chain keeps producing work (for example a dead-letter"
                  + " consumer that sends back to its source queue); raise the limit with"
                  + " QueueTestKit.Builder.stepLimit if this is intended");
        }
        continue;
      }
      return;
    }
  }

  void clear() {
    executor.clear();
    scheduler.clear();
  }
}
