package io.queues4j.core;

import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one queue claims ready messages from its store into its delivery buffer: the claim runs
 * outside the queue's lock (the pump chose it under the lock and counted it as work), and its
 * result is taken in under the lock, where the pump may cut batches from it at once.
 */
final class Claimer {
  private static final Logger logger = LoggerFactory.getLogger(Claimer.class);

  private final QueueRuntime q;

  Claimer(QueueRuntime q) {
    this.q = q;
  }

  /**
   * Claims up to {@code want} messages; on a FIFO queue, up to {@code want} of each of up to {@code
   * groups} groups. With {@code onHandlerThread} the caller is a delivery
   * thread whose handler has returned: if the store answers on this thread, before this call
   * returns, the first batch the claim makes possible runs next on this thread, instead of being
   * handed to another one.
   */
  void claim(int want, int groups, long now, long leaseUntil, boolean onHandlerThread) {
    Call call = new Call(onHandlerThread);
    StoreCalls.call(
        () -> q.fifo
            ? q.store.claimGroups(groups, want, now, leaseUntil)
            : q.store.claim(want, now, leaseUntil),
        (result, failure) -> claimed(want, result, failure, call.inlineHere()));
    call.returned = true;
  }

  /**
   * Makes a claim on this thread if it is a delivery thread whose handler has returned (the batch
   * it makes possible then runs next on it), else hands it to the engine's own delivery pool, whose
   * thread runs the batch right after the claim: the thread that chose the claim (a producer, the
   * timer) goes on at once, and more messages may have arrived by the time the claim is made.
   */
  void claimSomewhere(
      int want, int groups, long now, long leaseUntil, boolean onHandlerThread) {
    if (!onHandlerThread && q.engine.executor instanceof DeliveryPool pool) {
      try {
        pool.execute(() -> claim(want, groups, now, leaseUntil, true));
        return;
      } catch (RuntimeException e) { // the pool is shutting down: claim here
        logger.debug("Delivery pool refused a claim of queue '{}'", q.name, e);
      }
    }
    claim(want, groups, now, leaseUntil, onHandlerThread);
  }

  /** Whether a store's answer arrives on the claiming thread while the claim is still running. */
  private static final class Call {
    final boolean onHandlerThread;
    final Thread thread = Thread.currentThread();
    boolean returned; // only meaningful to the claiming thread, the only one that reads it true

    Call(boolean onHandlerThread) {
      this.onHandlerThread = onHandlerThread;
    }

    boolean inlineHere() {
      return onHandlerThread && Thread.currentThread() == thread && !returned;
    }
  }

  void claimed(int want, @Nullable ClaimResult result, @Nullable Throwable failure,
      boolean onHandlerThread) {
    Deferred deferred = new Deferred();
    q.lock.lock();
    try {
      q.fetching = false;
      long now = q.engine.clock.millis();
      if (result == null) {
        q.storeRetryAt = now + Settler.STORE_RETRY_MILLIS;
        deferred.then(() -> logger.error(
            "Store failed to claim messages of queue '{}'; trying again in {} ms",
            q.name, Settler.STORE_RETRY_MILLIS, failure));
      } else {
        q.nextVisibleAt = result.nextVisibleAt();
        // Fewer than asked, and nothing added or retried meanwhile: the store is drained (a FIFO
        // claim takes one group, so only an empty one says so).
        if ((q.fifo ? result.claims().isEmpty() : result.claims().size() < want)
            && q.changes == q.changesAtFetch) {
          q.mayHaveReady = false;
        }
        acceptLocked(result.claims(), now, deferred);
      }
      q.workDoneLocked(deferred);
      q.pumpLocked(now, deferred);
    } finally {
      q.lock.unlock();
    }
    q.run(deferred, onHandlerThread);
  }

  /**
   * Buffers fresh claims for delivery. Claims that cannot be delivered are settled at once: given
   * back if dispatching stopped meanwhile, or dead-lettered (or dropped) if their delivery is
   * already past {@code maxRetries + 1}, which happens when a process died during the last one.
   */
  private void acceptLocked(List<Claim> claims, long now, Deferred deferred) {
    ConsumerBinding<?> c = q.consumer;
    Outcomes settle = null;
    for (Claim claim : claims) {
      if (c == null || !q.dispatching) {
        settle = settle != null ? settle : new Outcomes(q, now, q.engine.listening(), null, false);
        settle.givenBack(claim, claim.message().visibleAt());
      } else if (claim.message().attempts() > c.settings.maxRetries() + 1) {
        settle = settle != null ? settle : new Outcomes(q, now, q.engine.listening(), null, false);
        q.settler.lastDeliveryLocked(c, claim, settle);
      } else {
        q.buffer.addLast(claim);
      }
    }
    if (settle != null) {
      q.settler.submitLocked(settle, deferred);
    }
  }
}
