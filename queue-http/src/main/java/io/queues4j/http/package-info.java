/**
 * HTTP front ends of a {@link io.queues4j.core.QueueEngine}: one {@link
 * io.queues4j.http.QueueHttpServer} on embedded Jetty serves several <em>faces</em>, each a set of
 * routes with its own request and response shapes.
 *
 * <ul>
 *   <li>W7S backend queues: {@code POST /api/v1/queues/{owner}/{repo}/{queue}} enqueues a JSON
 *       message for a {@link io.queues4j.http.W7sQueue}, whose consumer, if it has a URL, receives
 *       signed batches by HTTP {@code POST} ({@link io.queues4j.http.PushSignature}).
 *   <li>queue-run HTTP enqueue: a {@link io.queues4j.http.QueueRunRoute} exposes a queue as a
 *       {@code POST} route that accepts JSON, forms and plain text and answers {@code 202} with
 *       {@code X-Job-Id}.
 *   <li>Cloudflare's Queues REST API (v4) under {@code /client/v4/accounts/{account_id}/queues}:
 *       queues, consumers, push, pull with leases, ack and retry, over a backend (not yet enabled
 *       from the public builder: it waits for the engine's pull consumers).
 *   <li>{@code GET /healthz}, the only route that needs no credentials.
 * </ul>
 *
 * <p>Conventions: every other route needs {@code Authorization: Bearer <token>}, and a token
 * resolves to a {@link io.queues4j.http.Caller} configured on the server, never taken from the
 * request. Settings are immutable values built with builders; a bad value is rejected in its setter
 * with the value in the message. Errors are JSON {@code {"error": {"code": ..., "message": ...}}},
 * or Cloudflare's v4 envelope under {@code /client/v4/}.
 * Every reference is non-null unless annotated otherwise. See {@code docs/HTTP.md} for the routes,
 * statuses and wire shapes.
 */
@NullMarked
package io.queues4j.http;

import org.jspecify.annotations.NullMarked;
