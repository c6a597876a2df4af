package io.queues4j.examples.testing;

import io.queues4j.Message;
import io.queues4j.MessageBatch;
import io.queues4j.QueueContext;
import io.queues4j.QueueHandler;

/**
 * Example consumer: captures each payment; a gateway failure throws, so the engine retries the
 * messages not yet acknowledged, and dead-letters them once retries are exhausted.
 */
final class PaymentConsumer implements QueueHandler<Payment> {
  private final PaymentGateway gateway;

  PaymentConsumer(PaymentGateway gateway) {
    this.gateway = gateway;
  }

  @Override
  public void queue(MessageBatch<Payment> batch, QueueContext ctx) throws Exception {
    for (Message<Payment> message : batch.messages()) {
      gateway.capture(message.body());
      message.ack(); // captured: never redelivered, even if a later message fails
    }
  }
}
