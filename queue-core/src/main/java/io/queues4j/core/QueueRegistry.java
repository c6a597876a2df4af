package io.queues4j.core;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueNotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The engine's queues by name, and the rules of wiring them: declaring, attaching a consumer (push
 * or pull) with its dead-letter queue, detaching, deleting. Wiring changes are serialized by
 * {@link #registration}; lookups are lock-free.
 */
final class QueueRegistry {
  /** Serializes declarations, consumer attachment, deletion and shutdown. */
  final Object registration = new Object();

  private final EngineContext context;
  private final ConcurrentHashMap<String, QueueRuntime> queues;

  QueueRegistry(EngineContext context, ConcurrentHashMap<String, QueueRuntime> queues) {
    this.context = context;
    this.queues = queues;
  }

  void declare(String name, QueueSettings settings) {
    QueueSettings.requireQueueName(name);
    requireNonNull(settings, "settings");
    synchronized (registration) {
      Checks.requireState(context.accepting(), "the engine is closed");
      QueueRuntime existing = queues.get(name);
      if (existing != null) {
        Checks.requireState(
            existing.settings.equals(settings),
            "queue '" + name + "' is already declared with " + existing.settings
                + "; cannot redeclare it with " + settings);
        return;
      }
      queues.put(name, new QueueRuntime(name, settings, context));
    }
  }

  QueueRuntime runtime(String name) {
    requireNonNull(name, "name");
    QueueRuntime runtime = queues.get(name);
    if (runtime == null) {
      throw new QueueNotFoundException(name);
    }
    return runtime;
  }

  java.util.Set<String> names() {
    return queues.keySet();
  }

  Collection<QueueRuntime> all() {
    return queues.values();
  }

  /**
   * Attaches a push consumer, built once its dead-letter queue (declared with defaults if needed)
   * is known.
   */
  void attachPush(
      String queue,
      Optional<String> deadLetterQueue,
      Function<@Nullable QueueRuntime, ConsumerBinding<?>> binding) {
    synchronized (registration) {
      QueueRuntime runtime = attachable(queue);
      runtime.attach(binding.apply(deadLetterTarget(queue, deadLetterQueue)));
    }
  }

  PullConsumer attachPull(String queue, PullSettings settings) {
    requireNonNull(settings, "settings");
    synchronized (registration) {
      QueueRuntime runtime = attachable(queue);
      return runtime.control.attachPull(
          settings, deadLetterTarget(queue, settings.deadLetterQueue()));
    }
  }

  PullConsumer replacePull(String queue, PullSettings settings) {
    requireNonNull(settings, "settings");
    synchronized (registration) {
      Checks.requireState(context.accepting(), "the engine is closed");
      QueueRuntime runtime = runtime(queue);
      return runtime.control.replacePull(
          settings, deadLetterTarget(queue, settings.deadLetterQueue()));
    }
  }

  private QueueRuntime attachable(String queue) {
    Checks.requireState(context.accepting(), "the engine is closed");
    QueueRuntime runtime = runtime(queue);
    Checks.requireState(
        !runtime.hasConsumer(),
        "queue '" + queue + "' already has a consumer (duplicate_consumer): a queue has one");
    return runtime;
  }

  private @Nullable QueueRuntime deadLetterTarget(String queue, Optional<String> deadLetterQueue) {
    String dlq = deadLetterQueue.orElse(null);
    if (dlq == null) {
      return null;
    }
    checkNoCycle(queue, dlq);
    return queues.computeIfAbsent(
        dlq, name -> new QueueRuntime(name, QueueSettings.defaults(), context));
  }

  /** Rejects a dead-letter chain from {@code queue} that comes back to it. */
  private void checkNoCycle(String queue, String deadLetterQueue) {
    List<String> chain = new ArrayList<>(List.of(queue));
    String next = deadLetterQueue;
    while (next != null) {
      chain.add(next);
      Checks.requireState(
          !next.equals(queue),
          "dead-letter queue of '" + queue + "' must not lead back to it: "
              + String.join(" -> ", chain));
      QueueRuntime runtime = queues.get(next);
      next = runtime == null ? null : deadLetterQueueOf(runtime);
    }
  }

  /** The name of the dead-letter queue of a queue's consumer, push or pull, if any. */
  static @Nullable String deadLetterQueueOf(QueueRuntime runtime) {
    ConsumerBinding<?> c = runtime.consumer();
    if (c != null) {
      return c.settings.deadLetterQueue().orElse(null);
    }
    PullLeases p = runtime.pull;
    return p == null ? null : p.settings().deadLetterQueue().orElse(null);
  }

  /**
   * Deletes a queue and its messages. It must have no consumer, and no other queue's consumer may
   * use it as its dead-letter queue.
   */
  void delete(String queue) {
    synchronized (registration) {
      QueueRuntime runtime = runtime(queue);
      Checks.requireState(!runtime.hasConsumer(),
          "queue '" + queue + "' has a consumer: detach it before deleting the queue");
      for (QueueRuntime other : queues.values()) {
        Checks.requireState(!queue.equals(deadLetterQueueOf(other)),
            "queue '" + queue + "' is the dead-letter queue of '" + other.name
                + "': detach that consumer before deleting it");
      }
      runtime.control.stopDispatching();
      runtime.control.purge();
      runtime.cancelWakeUp();
      queues.remove(queue);
    }
  }
}
