/**
 * Runnable programs that show queues4j in use, each after one of the source documents in {@code
 * /work/shared/seeds}. The README quotes them, and the module's tests run them.
 *
 * <ul>
 *   <li>{@link io.queues4j.examples.QuickStart}: the smallest producer and consumer.
 *   <li>{@link io.queues4j.examples.JobsDemo}: a jobs service with results in a key-value store,
 *       transient failures retried with backoff and a poison job that ends in a dead-letter queue.
 *   <li>{@link io.queues4j.examples.SeparateAppsDemo}: a producer app and a consumer app that share
 *       nothing but a queue name.
 *   <li>{@link io.queues4j.examples.EmailOutboxDemo}: an email outbox written as one verdict per
 *       message.
 * </ul>
 *
 * <p>Conventions: every program has a {@code run(String[], PrintStream)} that returns its exit code
 * (0 success, 1 a failed check, 2 a bad option) and a {@code main} that exits with it, so tests run
 * the programs in process. Only the public entry points are public.
 */
@NullMarked
package io.queues4j.examples;

import org.jspecify.annotations.NullMarked;
