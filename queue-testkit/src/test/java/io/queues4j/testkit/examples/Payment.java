package io.queues4j.testkit.examples;

/** An example message body: a payment to capture. */
record Payment(String id, long amountCents) {}
