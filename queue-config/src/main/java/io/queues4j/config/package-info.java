/**
 * Queue declarations read from Cloudflare wrangler files ({@code wrangler.toml}, {@code
 * wrangler.json}, {@code wrangler.jsonc}) and W7S {@code w7s.json} files.
 *
 * <p>{@link io.queues4j.config.ConfigLoader} reads a file into an immutable {@link
 * io.queues4j.config.QueueConfig}: producer bindings, queue settings, consumer settings and the
 * W7S allowlist. {@link io.queues4j.config.QueueConfig#applyTo} declares the queues on a {@link
 * io.queues4j.core.QueueEngine} and returns the {@link io.queues4j.config.Bindings} that ported
 * Worker code sends through; attaching consumers stays the application's code, with {@link
 * io.queues4j.config.QueueConfig#consumerSettings}.
 *
 * <p>Conventions: key names, defaults and ranges are wrangler's; every range is checked by the
 * engine's own settings builders, so a file accepts exactly what {@link
 * io.queues4j.core.ConsumerSettings.Builder} and {@link io.queues4j.core.QueueSettings.Builder}
 * accept. An invalid file fails with one {@link io.queues4j.config.ConfigException} that lists
 * every {@link io.queues4j.config.Problem} of the file. Every reference is non-null unless
 * annotated otherwise; every value type is immutable and thread-safe.
 */
@NullMarked
package io.queues4j.config;

import org.jspecify.annotations.NullMarked;
