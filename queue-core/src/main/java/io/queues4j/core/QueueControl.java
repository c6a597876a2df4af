package io.queues4j.core;

import io.queues4j.QueueClosedException;
import io.queues4j.spi.Claim;
import io.queues4j.spi.StoredMessage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Administration and inspection of one queue: stats, held dead letters, pull consumers, detaching
 * consumers, purging, pausing delivery, changing settings, and stopping at shutdown. Each operation
 * decides under the queue's lock and calls the store after it, as the rest of the engine does.
 */
final class QueueControl {
  private final QueueRuntime q;

  QueueControl(QueueRuntime q) {
    this.q = q;
  }

  QueueStats stats() {
    q.lock.lock();
    try {
      return q.counters.snapshot(q.store.metrics(), q.inFlight + leased(), q.hasConsumer(),
          q.gate.waitingCount(), q.settings);
    } finally {
      q.lock.unlock();
    }
  }

  private int leased() {
    PullLeases p = q.pull;
    return p == null ? 0 : p.leased();
  }

  /** Lists (or removes) the held dead letters; blocks until the store answers. */
  List<StoredMessage> deadLetters(boolean drain) {
    List<StoredMessage> letters =
        StoreCalls.join(q.store.held(drain), q.name, "read dead letters");
    if (drain && !letters.isEmpty()) {
      Deferred deferred = new Deferred();
      q.lock.lock();
      try {
        q.gate.release(BacklogBudget.cost(letters));
        deferred.roomFreed = true;
        q.pumpLocked(q.engine.clock.millis(), deferred);
      } finally {
        q.lock.unlock();
      }
      q.run(deferred);
    }
    return letters;
  }

  /** Attaches a pull consumer; the queue must have no consumer. */
  PullConsumer attachPull(PullSettings settings, @Nullable QueueRuntime deadLetterQueue) {
    PullLeases leases = new PullLeases(q, settings, deadLetterQueue);
    q.lock.lock();
    try {
      Checks.requireState(!q.hasConsumer(),
          "queue '" + q.name + "' already has a consumer (duplicate_consumer): a queue has one");
      q.pull = leases;
    } finally {
      q.lock.unlock();
    }
    q.releaseHeld(); // dead letters held for lack of a consumer can be pulled now
    return leases;
  }

  /**
   * Replaces the queue's pull consumer with one of new settings, keeping the leases the old one
   * gave out (they keep their end times; the new settings apply to later pulls and settlements).
   */
  PullConsumer replacePull(PullSettings settings, @Nullable QueueRuntime deadLetterQueue) {
    q.lock.lock();
    try {
      PullLeases old = q.pull;
      if (old == null) {
        throw new IllegalStateException("queue '" + q.name + "' has no pull consumer to replace");
      }
      PullLeases replacement = new PullLeases(q, settings, deadLetterQueue);
      replacement.adoptLocked(old);
      q.pull = replacement;
      return replacement;
    } finally {
      q.lock.unlock();
    }
  }

  /**
   * Detaches the queue's consumer, push or pull. Batches in flight finish and settle as usual;
   * messages claimed but not delivered go back; a pull consumer's leases end now, as failed
   * deliveries.
   *
   * @return whether there was a consumer
   */
  boolean detach() {
    Deferred deferred = new Deferred();
    boolean had;
    q.lock.lock();
    try {
      long now = q.engine.clock.millis();
      had = q.hasConsumer();
      q.consumer = null;
      PullLeases p = q.pull;
      q.pull = null;
      if (p != null) {
        p.detachLocked(now, deferred);
      }
      giveBackBufferLocked(deferred);
      q.pumpLocked(now, deferred);
    } finally {
      q.lock.unlock();
    }
    q.run(deferred);
    return had;
  }

  private void giveBackBufferLocked(Deferred deferred) {
    if (!q.buffer.isEmpty()) {
      Outcomes giveBack = new Outcomes(q, q.engine.clock.millis(), false, null, false);
      Claim claim;
      while ((claim = q.buffer.pollFirst()) != null) {
        giveBack.givenBack(claim, claim.message().visibleAt());
      }
      q.settler.submitLocked(giveBack, deferred);
    }
  }

  /**
   * Removes every message of the queue except those of push batches in flight: waiting, delayed
   * and held ones in the store, claimed-but-undelivered ones, and the pull consumer's leased ones.
   * Blocks until the store has done it.
   *
   * @return the number of messages removed by the store's purge, leased ones included
   */
  long purge() {
    Deferred deferred = new Deferred();
    Outcomes purged;
    q.lock.lock();
    try {
      purged = new Outcomes(q, q.engine.clock.millis(), false, null, false);
      Claim claim;
      while ((claim = q.buffer.pollFirst()) != null) {
        purged.purged(claim);
      }
      PullLeases p = q.pull;
      if (p != null) {
        p.purgeLocked(purged);
      }
      q.settler.submitLocked(purged, deferred);
    } finally {
      q.lock.unlock();
    }
    q.run(deferred);
    long removed = StoreCalls.join(q.store.purge(), q.name, "purge");
    Deferred after = new Deferred();
    q.lock.lock();
    try {
      after.roomFreed = true;
      q.pumpLocked(q.engine.clock.millis(), after);
    } finally {
      q.lock.unlock();
    }
    q.run(after);
    return removed + purged.settlements().size();
  }

  /** Pauses or resumes delivery: while paused, nothing is dispatched and pulls fail. */
  void pause(boolean paused) {
    Deferred deferred = new Deferred();
    q.lock.lock();
    try {
      q.paused = paused;
      if (paused) {
        giveBackBufferLocked(deferred);
      } else {
        q.changedLocked();
      }
      q.pumpLocked(q.engine.clock.millis(), deferred);
    } finally {
      q.lock.unlock();
    }
    q.run(deferred);
  }

  boolean paused() {
    q.lock.lock();
    try {
      return q.paused;
    } finally {
      q.lock.unlock();
    }
  }

  /**
   * Applies new settings: the delivery delay to later sends, the retention period to every
   * message, the backlog limits to later sends, the dead-letter capacity to later dead letters.
   */
  void update(QueueSettings settings) {
    Deferred deferred = new Deferred();
    q.lock.lock();
    try {
      q.settings = settings;
      q.deliveryDelayMillis = settings.deliveryDelay().toMillis();
      q.retentionMillis = settings.retentionPeriod().toMillis();
      q.gate.update(settings);
      q.pumpLocked(q.engine.clock.millis(), deferred);
    } finally {
      q.lock.unlock();
    }
    q.run(deferred);
  }

  /**
   * Stops starting invocations and fails waiting sends; in-flight invocations may finish.
   * Messages claimed but not yet delivered go back to the store, their attempt not counted.
   */
  void stopDispatching() {
    Deferred deferred = new Deferred();
    q.lock.lock();
    try {
      q.dispatching = false;
      for (PendingSend pending : q.gate.removeAll()) {
        deferred.then(
            () -> pending.result.completeExceptionally(new QueueClosedException(q.name)));
      }
      giveBackBufferLocked(deferred);
    } finally {
      q.lock.unlock();
    }
    q.run(deferred);
  }
}
