package io.queues4j.compat;

/** A message body for the tests. */
record Receipt(String orderId, int amountCents) {}
