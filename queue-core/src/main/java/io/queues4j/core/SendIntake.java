package io.queues4j.core;

import io.queues4j.QueueClosedException;
import io.queues4j.QueueException;
import io.queues4j.QueueMetadata;
import io.queues4j.QueueMetrics;
import io.queues4j.QueueSendResult;
import io.queues4j.QueueStorageException;
import io.queues4j.StorageLimitExceededException;
import io.queues4j.spi.StoredMessage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send path of one queue: reserves room under the queue's lock (its own limits, the engine's
 * heap budget for heap-resident stores, the line of sends waiting for room), then hands the
 * messages to the store outside the lock; the send completes, and the queue learns of its new
 * messages, once the store has them.
 */
final class SendIntake {
  private static final Logger logger = LoggerFactory.getLogger(SendIntake.class);

  private final QueueRuntime q;

  SendIntake(QueueRuntime q) {
    this.q = q;
  }

  /**
   * Accepts messages sent by a producer, all or none: reserves room under the lock, then stores
   * them. If the backlog has no room, the send fails at once, or, with {@code maxWaitMillis > 0},
   * waits in line for room until that deadline.
   *
   * @throws QueueClosedException if the engine no longer accepts messages
   * @throws StorageLimitExceededException if there is no room and the send may not wait
   */
  CompletableFuture<QueueSendResult> accept(
      List<StoredMessage> messages, long now, long maxWaitMillis, String operation) {
    long bytes = 0;
    for (StoredMessage m : messages) {
      bytes += m.size();
    }
    long cost = BacklogBudget.cost(messages);
    Deferred deferred = new Deferred();
    PendingSend waiting = null;
    q.lock.lock();
    try {
      if (!q.engine.accepting()) {
        throw new QueueClosedException(q.name);
      }
      StorageLimitExceededException refusal =
          q.gate.hasWaiting()
              ? q.gate.queuedBehind(cost)
              : q.gate.reserve(this::backlogLocked, messages.size(), bytes, cost, false);
      if (refusal != null) {
        if (maxWaitMillis <= 0) {
          q.counters.refusedSends++;
          throw refusal;
        }
        waiting = new PendingSend(messages, bytes, cost,
            Durations.saturatedAdd(now, maxWaitMillis), operation);
        StorageLimitExceededException full = q.gate.enqueue(waiting);
        if (full != null) {
          q.counters.refusedSends++;
          throw full;
        }
        q.rescheduleLocked(now);
      } else {
        reserveLocked(messages.size(), bytes);
      }
    } finally {
      q.lock.unlock();
    }
    q.run(deferred);
    if (waiting != null) {
      return waiting.result;
    }
    CompletableFuture<QueueSendResult> result = new CompletableFuture<>();
    storeMessages(messages, bytes, cost, operation, result);
    return result;
  }

  /** The backlog a send's limits are checked against: what is stored, and what is on its way. */
  QueueMetrics backlogLocked() {
    QueueMetrics stored = q.store.metrics();
    return q.pendingCount == 0
        ? stored
        : new QueueMetrics(stored.backlogCount() + q.pendingCount,
            stored.backlogBytes() + q.pendingBytes, stored.oldestMessageTimestamp());
  }

  void reserveLocked(int count, long bytes) {
    q.pendingCount += count;
    q.pendingBytes += bytes;
    q.engine.work.incrementAndGet(); // the store's add counts as work until it completes
  }

  /** Hands reserved messages to the store; {@code result} completes once they are stored. */
  void storeMessages(List<StoredMessage> messages, long bytes, long cost, String operation,
      CompletableFuture<QueueSendResult> result) {
    if (q.fifo) { // duplicates within the window are recognized, and not stored, by the store
      long window = q.settings.deduplicationWindow().toMillis();
      StoreCalls.call(
          () -> q.store.addDeduplicated(messages, q.engine.clock.millis(), window),
          (ids, failure) -> added(messages, ids, bytes, cost, operation, result, failure));
    } else {
      StoreCalls.call(() -> q.store.add(messages),
          (ok, failure) -> added(messages, null, bytes, cost, operation, result, failure));
    }
  }

  /**
   * The store has the messages, or failed. {@code storedIds}: for a FIFO queue, the id each message
   * is stored under (the original's for a duplicate, which was not stored); {@code null} otherwise.
   */
  void added(List<StoredMessage> sent, @Nullable List<String> storedIds, long bytes, long cost,
      String operation, CompletableFuture<QueueSendResult> result, @Nullable Throwable failure) {
    Deferred deferred = new Deferred();
    QueueMetrics metrics;
    List<String> ids = new java.util.ArrayList<>(sent.size());
    List<String> duplicates = new java.util.ArrayList<>(0);
    List<StoredMessage> stored = storedIds == null ? sent : new java.util.ArrayList<>(sent.size());
    long duplicateCost = 0;
    for (int i = 0; i < sent.size(); i++) {
      StoredMessage m = sent.get(i);
      String id = m.id();
      if (storedIds != null) { // only what the store kept was sent, and costs heap
        String storedId = storedIds.get(i);
        if (storedId.equals(id)) {
          stored.add(m);
        } else {
          duplicates.add(storedId);
          duplicateCost += BacklogBudget.cost(m);
          id = storedId;
        }
      }
      ids.add(id);
    }
    q.lock.lock();
    try {
      if (failure == null && duplicateCost > 0) {
        q.gate.release(duplicateCost); // the duplicates' share of the reservation goes back
        deferred.roomFreed = true;
      }
      q.pendingCount -= sent.size();
      q.pendingBytes -= bytes;
      long now = q.engine.clock.millis();
      if (failure == null) {
        q.counters.sent += stored.size();
        q.counters.deduplicated += duplicates.size();
        for (StoredMessage m : stored) {
          q.nextVisibleAt = Math.min(q.nextVisibleAt, m.visibleAt());
        }
        q.changedLocked();
        if (q.engine.listening()) {
          deferred.then(() -> {
            for (StoredMessage m : stored) {
              q.engine.emit(new QueueEvent.Sent(q.name, Instant.ofEpochMilli(m.timestamp()), m.id(),
                  m.contentType(), m.size(), Instant.ofEpochMilli(m.visibleAt())));
            }
          });
        }
      } else {
        q.gate.release(cost);
        q.counters.failedSends++;
        deferred.roomFreed = true;
      }
      q.workDoneLocked(deferred);
      q.pumpLocked(now, deferred);
      metrics = q.store.metrics();
    } finally {
      q.lock.unlock();
    }
    q.run(deferred);
    if (failure == null) {
      result.complete(new QueueSendResult(new QueueMetadata(metrics), ids, duplicates));
    } else {
      Throwable cause = failure;
      logger.error("Store failed to add {} messages to queue '{}'; the {} failed",
          sent.size(), q.name, operation, cause);
      result.completeExceptionally(cause instanceof QueueException
          ? cause : new QueueStorageException(q.name, operation, cause));
    }
  }

  void admitWaitingLocked(long now, Deferred deferred) {
    PendingSend admitted;
    while ((admitted = q.gate.admitFirst(this::backlogLocked)) != null) {
      reserveLocked(admitted.messages.size(), admitted.bytes);
      PendingSend send = admitted;
      deferred.then(() -> storeMessages(
          send.messages, send.bytes, send.cost, send.operation, send.result));
    }
    for (BacklogGate.Refused refused : q.gate.expire(now, this::backlogLocked)) {
      q.counters.refusedSends++;
      deferred.then(() -> refused.send().result.completeExceptionally(refused.reason()));
    }
  }
}
