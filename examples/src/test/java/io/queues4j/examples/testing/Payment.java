package io.queues4j.examples.testing;

/** An example message body: a payment to capture. */
record Payment(String id, long amountCents) {}
