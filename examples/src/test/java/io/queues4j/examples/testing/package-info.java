/**
 * Example tests written the way a queues4j user would write them, against small example services:
 * a producer ({@link io.queues4j.examples.testing.OrderService}), a consumer with retries and a
 * dead-letter queue ({@link io.queues4j.examples.testing.PaymentConsumer}), a per-message verdict
 * handler and an exponential backoff. {@code docs/TESTING.md} quotes them.
 */
@NullMarked
package io.queues4j.examples.testing;

import org.jspecify.annotations.NullMarked;
