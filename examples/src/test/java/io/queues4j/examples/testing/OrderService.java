package io.queues4j.examples.testing;

import io.queues4j.Queue;
import io.queues4j.QueueException;
import io.queues4j.QueueSendOptions;
import java.util.concurrent.CompletionException;

/** Example producer: publishes an event per order and a reminder an hour later. */
final class OrderService {
  private final Queue<OrderPlaced> events;

  OrderService(Queue<OrderPlaced> events) {
    this.events = events;
  }

  /** Publishes the order; returns false if the queue refused it (the caller shows an error). */
  boolean place(String orderId, long amountCents, String note) {
    try {
      events.send(new OrderPlaced(orderId, amountCents, note)).join();
      return true;
    } catch (CompletionException e) {
      if (e.getCause() instanceof QueueException) {
        return false;
      }
      throw e;
    }
  }

  /** Publishes a reminder that becomes deliverable an hour from now. */
  void remindLater(String orderId) {
    events.send(new OrderPlaced(orderId, 0, "reminder"), QueueSendOptions.delaySeconds(3600)).join();
  }
}
