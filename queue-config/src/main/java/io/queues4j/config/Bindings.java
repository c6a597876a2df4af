package io.queues4j.config;

import static java.util.Objects.requireNonNull;

import io.queues4j.Queue;
import io.queues4j.core.QueueEngine;
import java.util.Map;

/**
 * The producer bindings of a configuration on one engine, as a Worker's {@code env} holds them:
 * Worker code {@code env.JOBS.send(body)} becomes {@code bindings.binding("JOBS").send(body)}.
 * Returned by {@link QueueConfig#applyTo}.
 *
 * <p>Immutable and thread-safe; the returned {@link Queue}s are the engine's producer bindings.
 */
public final class Bindings {
  private final QueueEngine engine;
  private final String source;
  private final Map<String, String> queues;

  Bindings(QueueEngine engine, String source, Map<String, String> queues) {
    this.engine = engine;
    this.source = source;
    this.queues = queues;
  }

  /**
   * Returns the producer of a binding.
   *
   * @param name the binding name, as in {@code binding = "JOBS"}
   * @param <B> the body type the caller sends
   * @return a producer that sends to the binding's queue
   * @throws IllegalArgumentException if the configuration has no binding of that name
   * @throws io.queues4j.QueueNotFoundException if the engine no longer has the queue
   */
  public <B> Queue<B> binding(String name) {
    requireNonNull(name, "name");
    String queue = queues.get(name);
    if (queue == null) {
      throw new IllegalArgumentException(
          source + " declares no binding '" + name + "'"
              + Declarations.suggestion(name, queues.keySet()) + "; declared bindings: "
              + queues.keySet());
    }
    return engine.queue(queue);
  }

  /**
   * Returns the binding names and their queues.
   *
   * @return an unmodifiable map from binding name to queue name, in the file's order
   */
  public Map<String, String> names() {
    return queues;
  }

  @Override
  public String toString() {
    return "Bindings" + queues;
  }
}
