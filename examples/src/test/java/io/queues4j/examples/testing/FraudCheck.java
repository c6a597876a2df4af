package io.queues4j.examples.testing;

import io.queues4j.MessageHandler;
import io.queues4j.QueueHandler;
import io.queues4j.QueueResult;
import java.util.function.Predicate;

/**
 * Example per-message verdict handler: an invalid order is acknowledged (dropped as poison), an
 * order the scorer cannot rate yet is retried in a minute, anything else is accepted.
 */
final class FraudCheck {
  private FraudCheck() {}

  static QueueHandler<OrderPlaced> handler(Predicate<OrderPlaced> scorerAvailable) {
    MessageHandler<OrderPlaced> verdict =
        message -> {
          OrderPlaced order = message.body();
          if (order.amountCents() <= 0) {
            return QueueResult.ack(); // poison: retrying will not help
          }
          if (!scorerAvailable.test(order)) {
            return QueueResult.retry("scorer unavailable", 60);
          }
          return QueueResult.ack();
        };
    return QueueHandler.perMessage(verdict);
  }
}
