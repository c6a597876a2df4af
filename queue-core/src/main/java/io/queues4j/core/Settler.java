package io.queues4j.core;

import io.queues4j.QueueRetryOptions;
import io.queues4j.spi.Claim;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.StoredMessage;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one queue settles messages: decides each outcome under the queue's lock (ack, retry with
 * its delay, dead-letter move or drop after the last delivery, expiry past retention), then has the
 * store apply them in one atomic step outside the lock, and reports them once applied. Also the
 * retention sweep, which removes messages the same way.
 */
final class Settler {
  private static final Logger logger = LoggerFactory.getLogger(Settler.class);

  /** How long a failed store operation waits before it is tried again. */
  static final long STORE_RETRY_MILLIS = 1_000;

  /** The most messages one retention sweep removes; the next sweep follows at once. */
  static final int EXPIRE_CHUNK = 4_096;

  private final QueueRuntime q;

  Settler(QueueRuntime q) {
    this.q = q;
  }

  /**
   * Decides the outcome of each message of a finished invocation: {@link Mark#ACK} removes it; a
   * retry mark requeues it after its delay, or, once it has had {@code maxRetries + 1} deliveries,
   * moves it to the dead-letter queue or drops it. A message past its retention period expires
   * instead of being retried. The store applies them all in one step, after the lock is released.
   */
  void settle(
      Invocation<?> invocation, Mark[] marks, boolean onHandlerThread, boolean timedOut) {
    Deferred deferred = new Deferred();
    q.lock.lock();
    try {
      ConsumerBinding<?> c = q.consumer;
      if (c == null) {
        throw new IllegalStateException("settling a batch of queue '" + q.name + "' with no q.consumer");
      }
      long now = q.engine.clock.millis();
      Outcomes outcomes = new Outcomes(q, now, q.engine.listening(), invocation, timedOut);
      List<Claim> claimed = invocation.claimed();
      for (int i = 0; i < marks.length; i++) {
        Claim claim = claimed.get(i);
        QueueRetryOptions options = marks[i].retryOptions();
        if (options == null) {
          outcomes.acked(claim);
        } else if (claim.message().attempts() > c.settings.maxRetries()) {
          lastDeliveryLocked(c, claim, outcomes);
        } else if (claim.message().timestamp() < now - q.retentionMillis) {
          outcomes.expired(claim);
        } else {
          long delay =
              options.delaySeconds().isPresent()
                  ? options.delaySeconds().getAsInt() * 1000L
                  : c.retryDelayMillis;
          outcomes.retried(claim, now + delay);
        }
      }
      submitLocked(outcomes, deferred); // counted as work before the invocation stops counting
      if (invocation.settledHold()) {
        q.finishLocked(invocation, deferred);
      }
      q.pumpLocked(now, deferred);
    } finally {
      q.lock.unlock();
    }
    q.run(deferred, onHandlerThread);
  }

  /** A message failed its last delivery: to the dead-letter queue, or dropped. */
  void lastDeliveryLocked(ConsumerBinding<?> c, Claim claim, Outcomes outcomes) {
    lastDeliveryLocked(c.deadLetterQueue, c.settings.maxRetries(), claim, outcomes);
  }

  /** A message failed its last delivery: to {@code deadLetterQueue}, or dropped without one. */
  void lastDeliveryLocked(
      @Nullable QueueRuntime deadLetterQueue, int maxRetries, Claim claim, Outcomes outcomes) {
    if (deadLetterQueue != null) {
      outcomes.deadLettered(claim, deadLetterQueue);
    } else {
      outcomes.dropped(claim, maxRetries);
    }
  }

  /** Has the store apply {@code outcomes} once the lock is released. */
  void submitLocked(Outcomes outcomes, Deferred deferred) {
    if (outcomes.isEmpty()) {
      return;
    }
    q.engine.work.incrementAndGet();
    deferred.then(() -> apply(outcomes));
  }

  void apply(Outcomes outcomes) {
    StoreCalls.call(() -> q.store.settle(outcomes.settlements()),
        (result, failure) -> applied(outcomes, result, failure));
  }

  void applied(Outcomes outcomes, @Nullable SettleResult result, @Nullable Throwable failure) {
    if (result == null) { // keep the claims; try again, the work stays counted meanwhile
      logger.error("Store failed to settle {} messages of queue '{}'; trying again in {} ms",
          outcomes.settlements().size(), q.name, STORE_RETRY_MILLIS, failure);
      q.engine.scheduler.schedule(
          Instant.ofEpochMilli(q.engine.clock.millis() + STORE_RETRY_MILLIS), () -> apply(outcomes));
      return;
    }
    Deferred deferred = new Deferred();
    deferred.then(() -> outcomes.report(result)); // first, and before the work is counted off
    q.lock.lock();
    try {
      outcomes.count(q.counters); // with the budget below: stats and budget agree at every instant
      if (outcomes.earliestRetry() != Long.MAX_VALUE) {
        q.nextVisibleAt = Math.min(q.nextVisibleAt, outcomes.earliestRetry());
        q.changedLocked();
      }
      if (outcomes.released() > 0) {
        q.gate.release(outcomes.released());
        deferred.roomFreed = true;
      }
      q.workDoneLocked(deferred);
      q.pumpLocked(q.engine.clock.millis(), deferred);
    } finally {
      q.lock.unlock();
    }
    q.run(deferred);
  }

  void expire(long cutoff) {
    StoreCalls.call(() -> q.store.expire(cutoff, EXPIRE_CHUNK),
        (expired, failure) -> expired(expired, failure));
  }

  void expired(@Nullable List<StoredMessage> expired, @Nullable Throwable failure) {
    Deferred deferred = new Deferred();
    q.lock.lock();
    try {
      q.expiring = false;
      long now = q.engine.clock.millis();
      if (expired == null) {
        deferred.then(() -> logger.error(
            "Store failed to expire old messages of queue '{}'", q.name, failure));
        q.nextExpiryCheck = now + STORE_RETRY_MILLIS;
      } else {
        // a full chunk: more to do, at once; else not before a second from now
        q.nextExpiryCheck = expired.size() >= EXPIRE_CHUNK ? now : now + 1_000;
        if (!expired.isEmpty()) {
          q.counters.expired += expired.size();
          q.gate.release(BacklogBudget.cost(expired));
          deferred.roomFreed = true;
          deferred.then(() -> Reports.expired(q, expired));
        }
      }
      q.workDoneLocked(deferred);
      q.pumpLocked(now, deferred);
    } finally {
      q.lock.unlock();
    }
    q.run(deferred);
  }

  void unclaim(Invocation<?> invocation) {
    Deferred deferred = new Deferred();
    q.lock.lock();
    try {
      long now = q.engine.clock.millis();
      Outcomes settle = new Outcomes(q, now, false, null, false);
      for (Claim claim : invocation.claimed()) {
        settle.givenBack(claim, now + QueueRuntime.REFUSED_BACKOFF_MILLIS);
      }
      q.counters.deliveries -= invocation.claimed().size();
      submitLocked(settle, deferred);
      q.finishLocked(invocation, deferred);
      q.pumpLocked(now, deferred);
    } finally {
      q.lock.unlock();
    }
    q.run(deferred);
  }
}
