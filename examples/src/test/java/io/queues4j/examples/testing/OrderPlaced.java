package io.queues4j.examples.testing;

/** An example message body: an order was placed. */
record OrderPlaced(String orderId, long amountCents, String note) {}
