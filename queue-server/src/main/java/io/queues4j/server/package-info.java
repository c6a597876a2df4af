/**
 * The queues4j server: a command-line program ({@link io.queues4j.server.Main}) that reads
 * wrangler and W7S configuration files, declares their queues on a {@link
 * io.queues4j.core.QueueEngine} and serves them over HTTP with {@link
 * io.queues4j.http.QueueHttpServer}, plus unauthenticated {@code /healthz} and {@code /readyz}
 * probes, and drains on SIGTERM. {@code docs/SERVER.md} documents every flag, environment variable
 * and file key.
 *
 * <p>Conventions: {@code Main} is the only public type; the rest is package-private. Settings come
 * from the command line, then environment variables, then the {@code [queues4j.server]} table of
 * a configuration file, then defaults; every problem found in them is reported at once, as a
 * {@link io.queues4j.config.Problem}. Every reference is non-null unless annotated otherwise.
 */
@NullMarked
package io.queues4j.server;

import org.jspecify.annotations.NullMarked;
