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
  private @Nullable List<StoredMessage> deadLetters;
  private @Nullable QueueRuntime deadLetterQueue;
  private @Nullable List<StoredMessage> dropped;
  private int maxRetries;

  Outcomes(QueueRuntime queue, long now, boolean listening) {
    this.queue = queue;
    this.at = Instant.ofEpochMilli(now);
    this.events = listening ? new ArrayList<>() : null;
  }

  private String id(StoredMessage m) {
    return queue.formatId(m.sequence);
  }

  void acked(StoredMessage m) {
    if (events != null) {
      events.add(new QueueEvent.Acked(queue.name, at, id(m), m.deliveries));
    }
  }

  void retried(StoredMessage m, Duration delay) {
    if (events != null) {
      events.add(new QueueEvent.Retried(queue.name, at, id(m), m.deliveries, delay));
    }
  }

  void expired(StoredMessage m) {
    if (events != null) {
      events.add(new QueueEvent.Expired(queue.name, at, id(m), m.deliveries));
    }
  }

  void deadLettered(StoredMessage m, QueueRuntime target) {
    if (deadLetters == null) {
      deadLetters = new ArrayList<>();
      queue.deadLettersInTransit(+1); // under the queue lock, before it counts as settled
    }
    deadLetters.add(m);
    deadLetterQueue = target;
    if (events != null) {
      events.add(new QueueEvent.DeadLettered(queue.name, at, id(m), m.deliveries, target.name));
    }
  }

  void dropped(StoredMessage m, int maxRetries) {
    if (dropped == null) {
      dropped = new ArrayList<>();
    }
    dropped.add(m);
    this.maxRetries = maxRetries;
    if (events != null) {
      events.add(new QueueEvent.Dropped(queue.name, at, id(m), m.deliveries));
    }
  }

  /** Reports everything; call with no lock held. */
  void report() {
    if (events != null) {
      for (QueueEvent event : events) {
        queue.emit(event);
      }
    }
    if (dropped != null) {
      for (StoredMessage m : dropped) {
        logger.warn(
            "Dropped message {} of queue '{}' after {} failed deliveries (maxRetries={}, no"
                + " dead-letter queue)",
            id(m), queue.name, m.deliveries, maxRetries);
      }
    }
    QueueRuntime target = deadLetterQueue;
    if (deadLetters != null && target != null) {
      logger.info(
          "Moved {} messages of queue '{}' to dead-letter queue '{}' after their last delivery",
          deadLetters.size(), queue.name, target.name);
      try {
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
