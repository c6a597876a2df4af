package io.queues4j.core;

import io.queues4j.spi.Claim;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcomes of one settlement: decided under the queue lock (one {@link Settlement} per claimed
 * message, plus its event), applied by the store in one atomic step after the lock is released,
 * and {@linkplain #report reported} once the store has applied them: events for the listener, a
 * log line per dropped message, the dead letters' arrival at their queue, the heap budget given
 * back. So an event never announces what the store has not done.
 */
final class Outcomes {
  private static final Logger logger = LoggerFactory.getLogger(Outcomes.class);

  private final QueueRuntime queue;
  private final Instant at;
  private final @Nullable Invocation<?> invocation;
  private final boolean timedOut;
  private final List<Settlement> settlements;
  private final @Nullable List<QueueEvent> events;
  private final List<QueueEvent.Outcome> outcomes;
  private @Nullable List<StoredMessage> dropped;
  private @Nullable QueueRuntime deadLetterQueue;
  private int deadLetters;
  private boolean held;
  private int maxRetries;
  private long released; // heap budget freed by the messages that leave the engine
  private long earliestRetry = Long.MAX_VALUE;
  private @Nullable Runnable whenApplied;
  // what the settlement does, counted into the queue's stats once the store has applied it
  private int acked;
  private int retried;
  private int deadLettered;
  private int droppedCount;
  private int expiredCount;

  /**
   * @param invocation the invocation settled, or {@code null} for messages settled without one
   *     (claims given back, or overdue claims)
   */
  Outcomes(
      QueueRuntime queue,
      long now,
      boolean listening,
      @Nullable Invocation<?> invocation,
      boolean timedOut) {
    this.queue = queue;
    this.at = Instant.ofEpochMilli(now);
    this.events = listening ? new ArrayList<>() : null;
    this.invocation = invocation;
    this.timedOut = timedOut;
    this.outcomes = listening ? new ArrayList<>() : List.of();
    this.settlements = new ArrayList<>(invocation != null ? invocation.claimed().size() : 4);
  }

  private void outcome(QueueEvent event, QueueEvent.Outcome outcome) {
    if (events != null) {
      events.add(event);
      outcomes.add(outcome);
    }
  }

  private String id(Claim c) {
    return c.message().id();
  }

  void acked(Claim c) {
    delete(c);
    acked++;
    if (events != null) {
      outcome(new QueueEvent.Acked(queue.name, at, id(c), c.message().attempts()),
          QueueEvent.Outcome.ACKED);
    }
  }

  void retried(Claim c, long visibleAt) {
    settlements.add(new Settlement.Retry(c, visibleAt, true));
    retried++;
    earliestRetry = Math.min(earliestRetry, visibleAt);
    if (events != null) {
      outcome(new QueueEvent.Retried(queue.name, at, id(c), c.message().attempts(),
          Duration.ofMillis(visibleAt - at.toEpochMilli())), QueueEvent.Outcome.RETRIED);
    }
  }

  /** Gives a claim back unstarted: it does not count as a delivery attempt. */
  void givenBack(Claim c, long visibleAt) {
    settlements.add(new Settlement.Retry(c, visibleAt, false));
    earliestRetry = Math.min(earliestRetry, visibleAt);
  }

  /** Deletes a claimed message for a purge; no event (a purge is not a delivery outcome). */
  void purged(Claim c) {
    delete(c);
  }

  void expired(Claim c) {
    delete(c);
    expiredCount++;
    if (events != null) {
      outcome(new QueueEvent.Expired(queue.name, at, id(c), c.message().attempts()),
          QueueEvent.Outcome.EXPIRED);
    }
  }

  void deadLettered(Claim c, QueueRuntime target) {
    int hold = target.hasConsumer() ? 0 : target.settings.deadLetterCapacity();
    settlements.add(new Settlement.MoveTo(c, target.store, at.toEpochMilli(), hold));
    deadLetterQueue = target;
    deadLetters++;
    deadLettered++;
    held |= hold > 0;
    if (events != null) {
      outcome(new QueueEvent.DeadLettered(queue.name, at, id(c), c.message().attempts(),
          target.name), QueueEvent.Outcome.DEAD_LETTERED);
    }
  }

  void dropped(Claim c, int maxRetries) {
    delete(c);
    droppedCount++;
    if (dropped == null) {
      dropped = new ArrayList<>();
    }
    dropped.add(c.message());
    this.maxRetries = maxRetries;
    if (events != null) {
      outcome(new QueueEvent.Dropped(queue.name, at, id(c), c.message().attempts()),
          QueueEvent.Outcome.DROPPED);
    }
  }

  private void delete(Claim c) {
    settlements.add(new Settlement.Delete(c));
    released += BacklogBudget.cost(c.message());
  }

  List<Settlement> settlements() {
    return settlements;
  }

  boolean isEmpty() {
    return settlements.isEmpty();
  }

  /** Runs {@code action} once the store has applied these outcomes and they are reported. */
  void whenApplied(Runnable action) {
    this.whenApplied = action;
  }

  /** Adds what this settlement did to the queue's counters; under the queue lock. */
  void count(QueueStats.Counters counters) {
    counters.acked += acked;
    counters.retried += retried;
    counters.deadLettered += deadLettered;
    counters.dropped += droppedCount;
    counters.expired += expiredCount;
  }

  /** The earliest time a retried message becomes visible again, or {@link Long#MAX_VALUE}. */
  long earliestRetry() {
    return earliestRetry;
  }

  /** The heap budget the deleted messages held. */
  long released() {
    return released;
  }

  /** Reports everything once the store has applied it; call with no lock held. */
  void report(SettleResult result) {
    try {
      if (!result.stale().isEmpty()) {
        logger.warn(
            "{} settlements of queue '{}' were not applied: their claim's lease had ended and the"
                + " messages were claimed again",
            result.stale().size(), queue.name);
      }
      if (events != null) {
        for (QueueEvent event : events) {
          queue.emit(event);
        }
        Invocation<?> inv = invocation;
        if (inv != null) {
          queue.emit(new QueueEvent.BatchSettled(queue.name, at, inv.ids(), outcomes,
              Duration.ofMillis(at.toEpochMilli() - inv.dispatchedAt), timedOut));
        }
      }
      if (dropped != null) {
        for (StoredMessage m : dropped) {
          logger.warn(
              "Dropped message {} of queue '{}' after {} failed deliveries (maxRetries={}, no"
                  + " dead-letter queue)",
              m.id(), queue.name, m.attempts(), maxRetries);
        }
      }
    } finally { // whatever happened above, the dead-letter queue learns of its new messages
      QueueRuntime target = deadLetterQueue;
      if (target != null) {
        logger.info(
            "Moved {} messages of queue '{}' to dead-letter queue '{}' after their last delivery",
            deadLetters, queue.name, target.name);
        target.deadLettersArrived(deadLetters, held, result.evicted(), queue.name);
      }
      Runnable then = whenApplied;
      if (then != null) {
        then.run();
      }
    }
  }

  /** The event of a batch handed to the consumer. */
  static QueueEvent.Delivered delivered(QueueRuntime queue, Invocation<?> invocation) {
    List<Claim> claimed = invocation.claimed();
    List<String> ids = new ArrayList<>(claimed.size());
    List<Integer> attempts = new ArrayList<>(claimed.size());
    for (Claim c : claimed) {
      ids.add(c.message().id());
      attempts.add(c.message().attempts());
    }
    return new QueueEvent.Delivered(
        queue.name, Instant.ofEpochMilli(invocation.dispatchedAt), ids, attempts);
  }
}
