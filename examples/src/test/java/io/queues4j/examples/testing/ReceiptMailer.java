package io.queues4j.examples.testing;

import io.queues4j.Message;
import io.queues4j.MessageBatch;
import io.queues4j.QueueContext;
import io.queues4j.QueueHandler;
import io.queues4j.QueueRetryOptions;

/**
 * Example consumer with the documented backoff: a message whose mail cannot be sent is retried
 * after {@code 30^attempts} seconds, capped at the 24 h delay limit.
 */
final class ReceiptMailer implements QueueHandler<OrderPlaced> {
  interface Smtp {
    boolean send(OrderPlaced order);
  }

  private final Smtp smtp;

  ReceiptMailer(Smtp smtp) {
    this.smtp = smtp;
  }

  @Override
  public void queue(MessageBatch<OrderPlaced> batch, QueueContext ctx) {
    for (Message<OrderPlaced> message : batch.messages()) {
      if (smtp.send(message.body())) {
        message.ack();
      } else {
        message.retry(QueueRetryOptions.exponentialBackoff(30, message.attempts()));
      }
    }
  }
}
