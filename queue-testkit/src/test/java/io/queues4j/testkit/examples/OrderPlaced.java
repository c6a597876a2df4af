package io.queues4j.testkit.examples;

/** An example message body: an order was placed. */
record OrderPlaced(String orderId, long amountCents, String note) {}
