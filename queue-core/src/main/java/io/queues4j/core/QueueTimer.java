package io.queues4j.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queue's single wake-up in the engine's {@link Scheduler}: asking for an earlier time replaces
 * the pending wake-up, asking for a later one keeps it (the queue recomputes when woken). Stale
 * wake-ups that fire anyway are recognised and only pump the queue once more.
 *
 * <p>Not thread-safe: used under the owning queue's lock.
 */
final class QueueTimer {
  private static final Logger logger = LoggerFactory.getLogger(QueueTimer.class);

  private final String queue;
  private final Scheduler scheduler;
  private final java.util.function.Consumer<Token> onWake;
  /**
   * Whether a wake-up no longer needed stays scheduled rather than being cancelled: on the engine's
   * own timer thread a stale wake-up costs one spare pump when it fires, while cancelling and
   * scheduling again each time a queue drains and refills would wake that thread every time. Other
   * schedulers (virtual time) get every cancellation, so that no stale wake-up moves their clock.
   */
  private final boolean keepStale;
  private long wakeAt = Long.MAX_VALUE;
  private @Nullable Token token;
  private Scheduler.@Nullable Cancellable handle;

  /**
   * @param onWake called from the scheduler's thread with the token of the firing wake-up; it
   *     must take the queue lock and call {@link #fired}
   */
  QueueTimer(String queue, Scheduler scheduler, java.util.function.Consumer<Token> onWake) {
    this.queue = queue;
    this.scheduler = scheduler;
    this.onWake = onWake;
    this.keepStale = scheduler instanceof ThreadScheduler;
  }

  /** Makes sure a wake-up happens no later than {@code at} ({@link Long#MAX_VALUE}: none). */
  void wakeBy(long at, long now) {
    if (at == Long.MAX_VALUE && wakeAt != Long.MIN_VALUE) {
      if (!keepStale) {
        cancel(); // nothing left to wait for: leave no stale timer behind (virtual clocks see it)
      }
      return;
    }
    if (at >= wakeAt) {
      return;
    }
    cancel();
    Token task = new Token();
    try {
      handle = scheduler.schedule(Instant.ofEpochMilli(Math.max(at, now)), () -> onWake.accept(task));
      token = task;
      wakeAt = at;
    } catch (Throwable e) { // a custom scheduler that refuses (even with an Error): the next event
      // retries; throwing here would lose the work the pump chose under the lock
      logger.error("Scheduler refused the wake-up of queue '{}' at {}", queue, at, e);
    }
  }

  /** Records that the wake-up identified by {@code task} fired. */
  void fired(Token task) {
    if (task == token) {
      token = null;
      handle = null;
      wakeAt = Long.MAX_VALUE;
    }
  }

  /** Cancels the pending wake-up and never schedules another (the scheduler is going away). */
  void stop() {
    cancel();
    wakeAt = Long.MIN_VALUE;
  }

  private void cancel() {
    Scheduler.Cancellable h = handle;
    if (h != null) {
      h.cancel();
    }
    handle = null;
    token = null;
    wakeAt = Long.MAX_VALUE;
  }

  /** Identifies one scheduled wake-up. */
  static final class Token {}
}
