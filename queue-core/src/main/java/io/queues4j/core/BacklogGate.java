package io.queues4j.core;

import io.queues4j.QueueMetrics;
import io.queues4j.StorageLimitExceededException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Back-pressure for one queue: decides whether a send fits under the queue's own limits and the
 * engine's {@link BacklogBudget}, and keeps the sends that wait for room in arrival order. While
 * any send waits, later sends queue behind it (or fail at once if they may not wait), so room
 * freed by the consumer goes to the waiting sends first.
 *
 * <p>Not thread-safe: used under the owning queue's lock, except {@link #tryReserveOpen}.
 */
final class BacklogGate {
  private final String queue;
  private QueueSettings settings;
  private final BacklogBudget budget;
  private final BacklogBudget waitingBudget;
  private final AtomicInteger engineWaiting;
  private boolean ownLimits;
  private final boolean heapResident;
  private final ArrayDeque<PendingSend> waiting = new ArrayDeque<>();
  /**
   * No limit of the queue's own and nobody waiting: the engine budget, which is atomic, is all a
   * send must fit, so it may reserve without the queue's lock ({@link #tryReserveOpen}). Written
   * under the lock whenever either changes.
   */
  private volatile boolean open;

  BacklogGate(String queue, QueueSettings settings, BacklogBudget budget,
      BacklogBudget waitingBudget, AtomicInteger engineWaiting, boolean heapResident) {
    this.heapResident = heapResident;
    this.queue = queue;
    this.settings = settings;
    this.budget = budget;
    this.waitingBudget = waitingBudget;
    this.engineWaiting = engineWaiting;
    this.ownLimits =
        settings.maxBacklogBytes() != Long.MAX_VALUE
            || settings.maxBacklogMessages() != Long.MAX_VALUE;
    reopen();
  }

  private void reopen() {
    open = !ownLimits && waiting.isEmpty();
  }

  /** Whether {@link #tryReserveOpen} may succeed; thread-safe. */
  boolean isOpen() {
    return open;
  }

  /**
   * Reserves room for a send without the queue's lock, if the gate is open. Thread-safe. A send
   * that starts waiting meanwhile goes first: the reservation is then given back.
   *
   * @return {@link Reservation#RESERVED}, or what the caller must do instead: reserve under the
   *     lock ({@link #reserve}), after letting waiting sends have the room if it was given back
   */
  Reservation tryReserveOpen(long cost) {
    if (!open) {
      return Reservation.CLOSED;
    }
    if (heapResident && budget.tryReserve(cost) >= 0) {
      return Reservation.CLOSED;
    }
    if (!open) { // a send began to wait meanwhile, refused for want of room: it goes first
      release(cost);
      return Reservation.GIVEN_BACK;
    }
    return Reservation.RESERVED;
  }

  /** What {@link #tryReserveOpen} did. */
  enum Reservation {
    RESERVED,
    /** Nothing reserved: the queue's lock decides. */
    CLOSED,
    /** Reserved and given back: room may have been refused to a waiting send meanwhile. */
    GIVEN_BACK
  }

  /**
   * Reserves room for a send in the engine budget if it fits every limit.
   *
   * @return {@code null} if reserved, else why it does not fit (nothing reserved)
   */
  @Nullable StorageLimitExceededException reserve(
      Supplier<QueueMetrics> backlog, int count, long bytes, long cost, boolean waited) {
    if (ownLimits) { // the common case, no limit of the queue's own, skips the snapshot
      StorageLimitExceededException refusal = checkOwnLimits(backlog.get(), count, bytes, waited);
      if (refusal != null) {
        return refusal;
      }
    }
    if (!heapResident) { // a durable store's backlog is on disk: the heap budget does not apply
      return null;
    }
    long seen = budget.tryReserve(cost);
    return seen < 0 ? null : engineRefusal(seen, cost, waited);
  }

  private @Nullable StorageLimitExceededException checkOwnLimits(
      QueueMetrics backlog, int count, long bytes, boolean waited) {
    String scope = "queue '" + queue + "'";
    if (backlog.backlogCount() + count > settings.maxBacklogMessages()) {
      return new StorageLimitExceededException(queue, scope, "messages",
          settings.maxBacklogMessages(), backlog.backlogCount(), count, waited);
    }
    if (backlog.backlogBytes() + bytes > settings.maxBacklogBytes()) {
      return new StorageLimitExceededException(queue, scope, "bytes",
          settings.maxBacklogBytes(), backlog.backlogBytes(), bytes, waited);
    }
    return null;
  }

  /** Applies new queue settings (their backlog limits) to later sends. */
  void update(QueueSettings settings) {
    this.settings = settings;
    this.ownLimits =
        settings.maxBacklogBytes() != Long.MAX_VALUE
            || settings.maxBacklogMessages() != Long.MAX_VALUE;
    reopen();
  }

  /** Gives back what {@link #reserve} took from the engine budget. */
  void release(long cost) {
    if (heapResident) {
      budget.release(cost);
    }
  }

  /** The refusal of a send that may not wait while others wait first. */
  StorageLimitExceededException queuedBehind(long cost) {
    return engineRefusal(budget.used(), cost, false);
  }

  private StorageLimitExceededException engineRefusal(long used, long cost, boolean waited) {
    return new StorageLimitExceededException(
        queue, "engine", "heap bytes", budget.limit(), used, cost, waited);
  }

  boolean hasWaiting() {
    return !waiting.isEmpty();
  }

  int waitingCount() {
    return waiting.size();
  }

  /**
   * Puts a send in line for room, if the engine's budget for waiting sends (their bodies wait in
   * memory too) has room for it.
   *
   * @return {@code null} if it waits, else the refusal to fail it with at once
   */
  @Nullable StorageLimitExceededException enqueue(PendingSend pending) {
    long seen = waitingBudget.tryReserve(pending.cost);
    if (seen >= 0) {
      return new StorageLimitExceededException(
          queue, "engine", "waiting send bytes", waitingBudget.limit(), seen, pending.cost, false);
    }
    waiting.addLast(pending);
    open = false;
    engineWaiting.incrementAndGet();
    return null;
  }

  private void leave(PendingSend pending) {
    engineWaiting.decrementAndGet();
    waitingBudget.release(pending.cost);
  }

  /** Removes and returns the first waiting send if it now fits (its room reserved), else null. */
  @Nullable PendingSend admitFirst(Supplier<QueueMetrics> backlog) {
    PendingSend head = waiting.peekFirst();
    if (head == null
        || reserve(backlog, head.messages.size(), head.bytes, head.cost, true) != null) {
      return null;
    }
    waiting.pollFirst();
    leave(head);
    reopen();
    return head;
  }

  /** Removes the sends whose wait has ended, each with the refusal to fail it with. */
  List<Refused> expire(long now, Supplier<QueueMetrics> backlog) {
    List<Refused> refused = new ArrayList<>(0);
    for (Iterator<PendingSend> it = waiting.iterator(); it.hasNext(); ) {
      PendingSend pending = it.next();
      if (pending.deadline <= now) {
        it.remove();
        leave(pending);
        StorageLimitExceededException why =
            reserve(backlog, pending.messages.size(), pending.bytes, pending.cost, true);
        if (why == null) { // it fits now, but others were in line before it
          release(pending.cost);
          why = engineRefusal(budget.used(), pending.cost, true);
        }
        refused.add(new Refused(pending, why));
      }
    }
    reopen();
    return refused;
  }

  long nextDeadline() {
    long next = Long.MAX_VALUE;
    for (PendingSend pending : waiting) {
      next = Math.min(next, pending.deadline);
    }
    return next;
  }

  /** Removes every waiting send (the engine is closing). */
  List<PendingSend> removeAll() {
    List<PendingSend> all = new ArrayList<>(waiting);
    waiting.clear();
    all.forEach(this::leave);
    reopen();
    return all;
  }

  /** A waiting send that will not be admitted, and why. */
  record Refused(PendingSend send, StorageLimitExceededException reason) {}
}
