package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueException;
import io.queues4j.QueuePausedException;
import io.queues4j.QueueStorageException;
import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The pull consumer of one queue: claims messages from the store with the pull's visibility
 * timeout as their lease, keeps the leases it gave out, settles them by lease id, and, when the
 * queue wakes past a lease's end, treats the lease as a failed delivery.
 *
 * <p>Its state is guarded by the queue's lock; store calls and completions happen outside it, as
 * everywhere in the engine.
 */
final class PullLeases implements PullConsumer {
  private final QueueRuntime q;
  private final PullSettings settings;
  private final @Nullable QueueRuntime deadLetterQueue;
  private final long retryDelayMillis;

  // guarded by q.lock
  private final Map<String, Lease> leases = new HashMap<>();
  private final PriorityQueue<Lease> byEnd =
      new PriorityQueue<>((a, b) -> Long.compare(a.endsAt, b.endsAt));
  private boolean detached;

  /** One delivered, unsettled message. */
  private static final class Lease {
    final String id;
    final Claim claim;
    final long endsAt;
    boolean settled;

    Lease(String id, Claim claim, long endsAt) {
      this.id = id;
      this.claim = claim;
      this.endsAt = endsAt;
    }
  }

  PullLeases(QueueRuntime q, PullSettings settings, @Nullable QueueRuntime deadLetterQueue) {
    this.q = q;
    this.settings = settings;
    this.deadLetterQueue = deadLetterQueue;
    this.retryDelayMillis = settings.retryDelay().toMillis();
  }

  @Override
  public String queue() {
    return q.name;
  }

  @Override
  public PullSettings settings() {
    return settings;
  }

  @Nullable QueueRuntime deadLetterQueue() {
    return deadLetterQueue;
  }

  @Override
  public CompletableFuture<PulledBatch> pull(int batchSize, Duration visibilityTimeout) {
    Checks.requireInRange("batchSize", batchSize, 1, ConsumerSettings.MAX_BATCH_SIZE);
    requireNonNull(visibilityTimeout, "visibilityTimeout");
    Checks.requireInRange("visibilityTimeout", visibilityTimeout, Duration.ofMillis(1),
        PullSettings.MAX_VISIBILITY_TIMEOUT);
    long now;
    q.lock.lock();
    try {
      checkUsable();
      if (q.paused) {
        return CompletableFuture.failedFuture(new QueuePausedException(q.name));
      }
      now = q.engine.clock.millis();
      q.engine.work.incrementAndGet();
    } finally {
      q.lock.unlock();
    }
    long endsAt = now + visibilityTimeout.toMillis();
    CompletableFuture<PulledBatch> result = new CompletableFuture<>();
    StoreCalls.call(() -> q.store.claim(batchSize, now, endsAt),
        (claimed, failure) -> pulled(claimed, failure, endsAt, result));
    return result;
  }

  private void checkUsable() {
    Checks.requireState(q.engine.accepting(), "the engine is closed");
    Checks.requireState(!detached, "the pull consumer of queue '" + q.name + "' was detached");
  }

  private void pulled(@Nullable ClaimResult claimed, @Nullable Throwable failure, long endsAt,
      CompletableFuture<PulledBatch> result) {
    Deferred deferred = new Deferred();
    List<PulledMessage> messages = new ArrayList<>();
    List<Claim> delivered = new ArrayList<>();
    q.lock.lock();
    try {
      long now = q.engine.clock.millis();
      if (claimed != null) {
        Outcomes overdue = null;
        for (Claim claim : claimed.claims()) {
          if (detached || claim.message().attempts() > settings.maxRetries() + 1) {
            overdue = overdue != null ? overdue : new Outcomes(q, now, q.listening(), null, false);
            if (detached) { // detached meanwhile: give it back unstarted
              overdue.givenBack(claim, claim.message().visibleAt());
            } else { // its last delivery ended with a process that died: dead-letter it
              q.settler.lastDeliveryLocked(deadLetterQueue, settings.maxRetries(), claim, overdue);
            }
            continue;
          }
          Lease lease = new Lease(leaseId(claim), claim, endsAt);
          leases.put(lease.id, lease);
          byEnd.add(lease);
          delivered.add(claim);
          messages.add(new PulledMessage(claim.message().id(),
              Instant.ofEpochMilli(claim.message().timestamp()), claim.message().attempts(),
              lease.id, Instant.ofEpochMilli(endsAt), claim.message().contentType(),
              claim.message().body(), q.engine.codec.mapper()));
        }
        q.counters.deliveries += delivered.size();
        if (overdue != null) {
          q.settler.submitLocked(overdue, deferred);
        }
      }
      q.workDoneLocked(deferred);
      q.pumpLocked(now, deferred);
    } finally {
      q.lock.unlock();
    }
    q.run(deferred);
    if (claimed == null) {
      Throwable cause = requireNonNull(failure);
      result.completeExceptionally(cause instanceof QueueException
          ? cause : new QueueStorageException(q.name, "pull", cause));
      return;
    }
    if (q.listening() && !delivered.isEmpty()) {
      List<String> ids = new ArrayList<>(delivered.size());
      List<Integer> attempts = new ArrayList<>(delivered.size());
      for (Claim c : delivered) {
        ids.add(c.message().id());
        attempts.add(c.message().attempts());
      }
      q.emit(new QueueEvent.Delivered(q.name, q.now(), ids, attempts));
    }
    result.complete(new PulledBatch(messages, q.store.metrics()));
  }

  /** An id no other lease of this engine has: the engine's id prefix, the message, the claim. */
  private String leaseId(Claim claim) {
    return Long.toHexString(q.engine.ids.high()) + "-" + Long.toHexString(claim.key()) + "-"
        + Long.toHexString(claim.lease());
  }

  @Override
  public CompletableFuture<AckResult> ack(Collection<String> acks, Collection<LeaseRetry> retries) {
    requireNonNull(acks, "acks");
    requireNonNull(retries, "retries");
    Deferred deferred = new Deferred();
    CompletableFuture<AckResult> result = new CompletableFuture<>();
    q.lock.lock();
    try {
      Checks.requireState(q.engine.accepting(), "the engine is closed");
      long now = q.engine.clock.millis();
      Outcomes outcomes = new Outcomes(q, now, q.listening(), null, false);
      Map<String, String> warnings = new LinkedHashMap<>();
      int acked = 0;
      int retried = 0;
      for (String id : acks) {
        Lease lease = take(requireNonNull(id, "acks must not contain null"), warnings);
        if (lease != null) {
          outcomes.acked(lease.claim);
          acked++;
        }
      }
      for (LeaseRetry retry : retries) {
        Lease lease = take(requireNonNull(retry, "retries must not contain null").leaseId(),
            warnings);
        if (lease != null) {
          var delay = retry.options().delaySeconds();
          failedLocked(lease, now + (delay.isPresent() ? delay.getAsInt() * 1000L
              : retryDelayMillis), outcomes);
          retried++;
        }
      }
      AckResult done = new AckResult(acked, retried, warnings);
      if (outcomes.isEmpty()) {
        result.complete(done);
      } else {
        outcomes.whenApplied(() -> result.complete(done));
        q.settler.submitLocked(outcomes, deferred);
      }
      q.rescheduleLocked(now);
    } finally {
      q.lock.unlock();
    }
    q.run(deferred);
    return result;
  }

  private @Nullable Lease take(String id, Map<String, String> warnings) {
    Lease lease = leases.remove(id);
    if (lease == null) {
      warnings.putIfAbsent(id, "unknown lease: it ended, was settled already, or never existed");
      return null;
    }
    lease.settled = true;
    return lease;
  }

  /** A failed delivery: retried at {@code visibleAt}, or dead-lettered after the last one. */
  private void failedLocked(Lease lease, long visibleAt, Outcomes outcomes) {
    if (lease.claim.message().attempts() > settings.maxRetries()) {
      q.settler.lastDeliveryLocked(deadLetterQueue, settings.maxRetries(), lease.claim, outcomes);
    } else {
      outcomes.retried(lease.claim, visibleAt);
    }
  }

  /** Ends the leases that ran out by {@code now}: failed deliveries, retried after retryDelay. */
  void expireLocked(long now, Deferred deferred) {
    Outcomes outcomes = null;
    Lease first;
    while ((first = byEnd.peek()) != null && (first.settled || first.endsAt <= now)) {
      byEnd.poll();
      if (first.settled) {
        continue;
      }
      leases.remove(first.id);
      first.settled = true;
      outcomes = outcomes != null ? outcomes : new Outcomes(q, now, q.listening(), null, false);
      failedLocked(first, first.endsAt + retryDelayMillis, outcomes);
    }
    if (outcomes != null) {
      q.settler.submitLocked(outcomes, deferred);
    }
  }

  /** When the next lease ends, or {@link Long#MAX_VALUE}. */
  long nextLeaseEnd() {
    Lease first;
    while ((first = byEnd.peek()) != null && first.settled) {
      byEnd.poll();
    }
    return first == null ? Long.MAX_VALUE : first.endsAt;
  }

  /** Takes over the leases of the consumer this one replaces, which can no longer pull. */
  void adoptLocked(PullLeases old) {
    leases.putAll(old.leases);
    byEnd.addAll(old.byEnd);
    old.leases.clear();
    old.byEnd.clear();
    old.detached = true;
  }

  /** Detaches the consumer: no more pulls; its leases end now, as failed deliveries. */
  void detachLocked(long now, Deferred deferred) {
    detached = true;
    for (Lease lease : leases.values()) {
      lease.settled = true;
    }
    Outcomes outcomes = null;
    for (Lease lease : leases.values()) {
      outcomes = outcomes != null ? outcomes : new Outcomes(q, now, q.listening(), null, false);
      failedLocked(lease, now + retryDelayMillis, outcomes);
    }
    leases.clear();
    byEnd.clear();
    if (outcomes != null) {
      q.settler.submitLocked(outcomes, deferred);
    }
  }

  /** Removes every lease, for a purge: their messages are deleted. */
  void purgeLocked(Outcomes outcomes) {
    for (Lease lease : leases.values()) {
      lease.settled = true;
      outcomes.purged(lease.claim);
    }
    leases.clear();
    byEnd.clear();
  }

  int leased() {
    return leases.size();
  }

  @Override
  public String toString() {
    return "PullConsumer{" + q.name + ", " + settings + "}";
  }
}
