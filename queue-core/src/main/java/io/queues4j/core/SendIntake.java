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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
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
  /** Reserved sends not yet in the store: they count against the queue's own limits. */
  private final AtomicLong pendingCount = new AtomicLong();
  private final AtomicLong pendingBytes = new AtomicLong();

  SendIntake(QueueRuntime q) {
    this.q = q;
  }

  /**
   * Accepts messages sent by a producer, all or none: reserves room (without the queue's lock in
   * the common case, see {@link #acceptOpen}), then stores them. If the backlog has no room, the
   * send fails at once, or, with {@code maxWaitMillis > 0}, waits in line for room until that
   * deadline.
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
    if (q.gate.isOpen()) {
      CompletableFuture<QueueSendResult> result = acceptOpen(messages, bytes, cost, operation);
      if (result != null) {
        return result;
      }
    }
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

  /**
   * The common case, without the queue's lock: if the gate is open ({@link
   * BacklogGate#tryReserveOpen}) and the engine accepts, reserves room and hands the send to the
   * store. The send is counted (pending, and as work) before the gate and the engine are checked:
   * a queue gaining limits of its own, or a closing engine, changes its flag and then looks at
   * those counts, so one of the two sees the other.
   *
   * @return the send's result, or {@code null} if the queue's lock must decide
   */
  private @Nullable CompletableFuture<QueueSendResult> acceptOpen(
      List<StoredMessage> messages, long bytes, long cost, String operation) {
    pendingCount.addAndGet(messages.size());
    pendingBytes.addAndGet(bytes);
    q.engine.work.incrementAndGet();
    BacklogGate.Reservation reservation = q.engine.accepting()
        ? q.gate.tryReserveOpen(cost)
        : BacklogGate.Reservation.CLOSED;
    if (reservation == BacklogGate.Reservation.RESERVED) {
      CompletableFuture<QueueSendResult> result = new CompletableFuture<>();
      storeMessages(messages, bytes, cost, operation, result);
      return result;
    }
    pendingCount.addAndGet(-messages.size());
    pendingBytes.addAndGet(-bytes);
    q.engine.work.decrementAndGet();
    if (!q.engine.accepting()) {
      q.engine.signalIdle();
    }
    if (reservation == BacklogGate.Reservation.GIVEN_BACK) { // waiting sends may use it now
      q.pump();
      if (q.engine.waitingSends.get() > 0) {
        q.engine.roomFreed(q);
      }
    }
    return null;
  }

  /** The backlog a send's limits are checked against: what is stored, and what is on its way. */
  QueueMetrics backlogLocked() {
    QueueMetrics stored = q.store.metrics();
    long count = pendingCount.get();
    return count == 0
        ? stored
        : new QueueMetrics(stored.backlogCount() + count,
            stored.backlogBytes() + pendingBytes.get(), stored.oldestMessageTimestamp());
  }

  void reserveLocked(int count, long bytes) {
    pendingCount.addAndGet(count);
    pendingBytes.addAndGet(bytes);
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
    List<StoredMessage> stored = sent;
    List<String> duplicates = List.of();
    long duplicateCost = 0;
    if (storedIds != null && hasDuplicates(sent, storedIds)) { // only what was kept was sent
      stored = new ArrayList<>(sent.size());
      duplicates = new ArrayList<>(1);
      for (int i = 0; i < sent.size(); i++) {
        StoredMessage m = sent.get(i);
        String storedId = storedIds.get(i);
        if (storedId.equals(m.id())) {
          stored.add(m);
        } else {
          duplicates.add(storedId);
          duplicateCost += BacklogBudget.cost(m);
        }
      }
    }
    SpinThenPark.lock(q.lock); // a producer's thread, or a store's completing it
    try {
      if (failure == null && duplicateCost > 0) {
        q.gate.release(duplicateCost); // the duplicates' share of the reservation goes back
        deferred.roomFreed = true;
      }
      pendingCount.addAndGet(-sent.size());
      pendingBytes.addAndGet(-bytes);
      long now = q.engine.clock.millis();
      if (failure == null) {
        q.counters.sent += stored.size();
        q.counters.deduplicated += duplicates.size();
        for (StoredMessage m : stored) {
          q.nextVisibleAt = Math.min(q.nextVisibleAt, m.visibleAt());
        }
        q.changedLocked();
        if (q.engine.listening()) {
          List<StoredMessage> kept = stored;
          deferred.then(() -> {
            for (StoredMessage m : kept) {
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
      List<String> ids = storedIds != null ? storedIds : ids(sent);
      result.complete(new QueueSendResult(new QueueMetadata(metrics), ids, duplicates));
    } else {
      Throwable cause = failure;
      logger.error("Store failed to add {} messages to queue '{}'; the {} failed",
          sent.size(), q.name, operation, cause);
      result.completeExceptionally(cause instanceof QueueException
          ? cause : new QueueStorageException(q.name, operation, cause));
    }
  }

  @SuppressWarnings("ReferenceEquality") // a shortcut only: equals decides
  private static boolean hasDuplicates(List<StoredMessage> sent, List<String> storedIds) {
    for (int i = 0; i < sent.size(); i++) {
      String storedId = storedIds.get(i);
      String id = sent.get(i).id();
      if (storedId != id && !storedId.equals(id)) { // mostly the same instance: ids are cached
        return true;
      }
    }
    return false;
  }

  private static List<String> ids(List<StoredMessage> messages) {
    if (messages.size() == 1) {
      return List.of(messages.get(0).id());
    }
    String[] ids = new String[messages.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = messages.get(i).id();
    }
    return List.of(ids);
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
