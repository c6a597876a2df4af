package io.queues4j.config;

import static java.util.Objects.requireNonNull;

import io.queues4j.core.ConsumerSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * A consumer declared in a file: one {@code [[queues.consumers]]} entry of a wrangler file, or
 * one queue of a {@code w7s.json}.
 *
 * @param queue the consumed queue
 * @param type push ({@link ConsumerType#WORKER}) or pull ({@link ConsumerType#HTTP_PULL})
 * @param settings batching, retry and dead-letter settings, ready for {@code
 *     QueueEngine.consume}; for a pull consumer, {@code maxBatchSize} is the most messages one
 *     pull returns
 * @param visibilityTimeout for a pull consumer, how long a pulled message stays leased before it
 *     is delivered again ({@code visibility_timeout_ms}, default 30 s); empty for a push consumer
 * @param path for a W7S queue, the HTTP path W7S posts batches to (default {@code
 *     /_w7s/queues/<name>}); empty for wrangler consumers
 */
public record ConsumerDeclaration(
    String queue,
    ConsumerType type,
    ConsumerSettings settings,
    Optional<Duration> visibilityTimeout,
    Optional<String> path) {

  /**
   * Checks that no component is null.
   *
   * @param queue see the record description
   * @param type see the record description
   * @param settings see the record description
   * @param visibilityTimeout see the record description
   * @param path see the record description
   */
  public ConsumerDeclaration {
    requireNonNull(queue, "queue");
    requireNonNull(type, "type");
    requireNonNull(settings, "settings");
    requireNonNull(visibilityTimeout, "visibilityTimeout");
    requireNonNull(path, "path");
  }
}
