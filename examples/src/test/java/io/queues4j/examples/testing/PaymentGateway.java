package io.queues4j.examples.testing;

/** The example consumer's dependency: a payment provider that may be down. */
interface PaymentGateway {
  /** Captures a payment; throws when the provider is unavailable. */
  void capture(Payment payment) throws Exception;
}
