/**
 * The Cloudflare Workers Queues binding API, in Java.
 *
 * <p>Names mirror Cloudflare's TypeScript declarations: a producer holds a {@link io.queues4j.Queue}
 * and calls {@code send} / {@code sendBatch}; a consumer implements {@link
 * io.queues4j.QueueHandler} and receives a {@link io.queues4j.MessageBatch} of {@link
 * io.queues4j.Message}s, which it acknowledges or retries.
 *
 * <p>Conventions: every type is null-marked (no method accepts or returns {@code null} unless
 * annotated {@code @Nullable}); values are immutable records; failures of a send are reported
 * through the returned future as a {@link io.queues4j.QueueException}; invalid arguments (a delay
 * out of range, a {@code null}) are rejected at once with {@link IllegalArgumentException} or
 * {@link NullPointerException}.
 */
@NullMarked
package io.queues4j;

import org.jspecify.annotations.NullMarked;
