package io.queues4j.core;

import io.queues4j.spi.SettleResult;
import io.queues4j.spi.StoredMessage;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Log lines and events for messages a queue removed on its own: expired, or evicted. */
final class Reports {
  private static final Logger logger = LoggerFactory.getLogger(QueueRuntime.class);

  private Reports() {}

  static void expired(QueueRuntime queue, List<StoredMessage> expired) {
    logger.warn(
        "Expired {} messages of queue '{}' older than its retention period of {} (first: {})",
        expired.size(), queue.name, queue.settings.retentionPeriod(), expired.get(0).id());
    if (queue.listening()) {
      Instant at = queue.now();
      for (StoredMessage m : expired) {
        queue.emit(new QueueEvent.Expired(queue.name, at, m.id(), m.attempts()));
      }
    }
  }

  static void evicted(
      QueueRuntime queue, List<SettleResult.Eviction> evicted, int received, String source) {
    logger.warn(
        "Dead-letter queue '{}' is full ({} held, no consumer): evicted its {} oldest dead letters"
            + " to take {} from queue '{}'",
        queue.name, queue.settings.deadLetterCapacity(), evicted.size(), received, source);
    if (queue.listening()) {
      Instant at = queue.now();
      for (SettleResult.Eviction e : evicted) {
        queue.emit(new QueueEvent.DeadLetterEvicted(queue.name, at, e.message().id()));
      }
    }
  }
}
