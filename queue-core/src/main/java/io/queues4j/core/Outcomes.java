package io.queues4j.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcomes of one settlement, collected under the queue lock and {@link #report reported}
 * after it: events for the listener, a log line per dropped message, and the dead letters to move
 * to their queue.
 */
final class Outcomes {
  private static final Logger logger = LoggerFactory.getLogger(Outcomes.class);

  private final QueueRuntime queue;
  private final Instant at;
  private final @Nullable List<QueueEvent> events;
  private final Invocation<?> invocation;
  private final boolean timedOut;
  private final List<QueueEvent.Outcome> outcomes;
  private @Nullable List<StoredMessage> deadLetters;
  private @Nullable QueueRuntime deadLetterQueue;
  private @Nullable List<StoredMessage> dropped;
  private int maxRetries;

  Outcomes(
      QueueRuntime queue, long now, boolean listening, Invocation<?> invocation, boolean timedOut) {
    this.queue = queue;
    this.at = Instant.ofEpochMilli(now);
    this.events = listening ? new ArrayList<>() : null;
    this.invocation = invocation;
    this.timedOut = timedOut;
    this.outcomes = listening ? new ArrayList<>() : List.of();
  }

  private void outcome(QueueEvent event, QueueEvent.Outcome outcome) {
    if (events != null) {
      events.add(event);
      outcomes.add(outcome);
    }
  }

  private String id(StoredMessage m) {
    return queue.formatId(m.sequence);
  }

  void acked(StoredMessage m) {
    if (events != null) {
      outcome(new QueueEvent.Acked(queue.name, at, id(m), m.deliveries), QueueEvent.Outcome.ACKED);
    }
  }

  void retried(StoredMessage m, Duration delay) {
    if (events != null) {
      outcome(new QueueEvent.Retried(queue.name, at, id(m), m.deliveries, delay),
          QueueEvent.Outcome.RETRIED);
    }
  }

  void expired(StoredMessage m) {
    if (events != null) {
      outcome(new QueueEvent.Expired(queue.name, at, id(m), m.deliveries), QueueEvent.Outcome.EXPIRED);
    }
  }

  void deadLettered(StoredMessage m, QueueRuntime target) {
    if (deadLetters == null) {
      deadLetters = new ArrayList<>();
      queue.deadLettersInTransit(+1); // under the queue lock, before it counts as settled
    }
    deadLetters.add(m);
    target.expectDeadLetter();
    deadLetterQueue = target;
    if (events != null) {
      outcome(new QueueEvent.DeadLettered(queue.name, at, id(m), m.deliveries, target.name),
          QueueEvent.Outcome.DEAD_LETTERED);
    }
  }

  void dropped(StoredMessage m, int maxRetries) {
    if (dropped == null) {
      dropped = new ArrayList<>();
    }
    dropped.add(m);
    this.maxRetries = maxRetries;
    if (events != null) {
      outcome(new QueueEvent.Dropped(queue.name, at, id(m), m.deliveries), QueueEvent.Outcome.DROPPED);
    }
  }

  /** Reports everything; call with no lock held. */
  void report() {
    try {
      if (events != null) {
        for (QueueEvent event : events) {
          queue.emit(event);
        }
        queue.emit(new QueueEvent.BatchSettled(queue.name, at, invocation.ids(), outcomes,
            Duration.ofMillis(at.toEpochMilli() - invocation.dispatchedAt), timedOut));
      }
      if (dropped != null) {
        for (StoredMessage m : dropped) {
          logger.warn(
              "Dropped message {} of queue '{}' after {} failed deliveries (maxRetries={}, no"
                  + " dead-letter queue)",
              id(m), queue.name, m.deliveries, maxRetries);
        }
      }
    } finally { // whatever happened above, dead letters in transit must land
      moveDeadLetters();
    }
  }

  private void moveDeadLetters() {
    QueueRuntime target = deadLetterQueue;
    if (deadLetters != null && target != null) {
      try {
        logger.info(
            "Moved {} messages of queue '{}' to dead-letter queue '{}' after their last delivery",
            deadLetters.size(), queue.name, target.name);
        target.acceptDeadLetters(deadLetters, queue.name);
      } finally {
        queue.deadLettersInTransit(-1);
      }
    }
  }

  /** The event of a batch handed to the consumer. */
  static QueueEvent.Delivered delivered(QueueRuntime queue, Invocation<?> invocation) {
    List<StoredMessage> claimed = invocation.claimed();
    List<String> ids = new ArrayList<>(claimed.size());
    List<Integer> attempts = new ArrayList<>(claimed.size());
    for (StoredMessage m : claimed) {
      ids.add(queue.formatId(m.sequence));
      attempts.add(m.deliveries);
    }
    return new QueueEvent.Delivered(
        queue.name, Instant.ofEpochMilli(invocation.dispatchedAt), ids, attempts);
  }
}
