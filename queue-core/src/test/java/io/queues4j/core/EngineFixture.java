package io.queues4j.core;

import io.queues4j.Message;
import io.queues4j.MessageBatch;
import io.queues4j.Queue;
import io.queues4j.QueueContext;
import io.queues4j.QueueHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Test fixture: an engine on {@link VirtualTime} that records every event and every batch. */
final class EngineFixture implements AutoCloseable {
  final VirtualTime time = new VirtualTime();
  final List<QueueEvent> events = new CopyOnWriteArrayList<>();
  final QueueEngine engine;

  /** Bodies of each batch a {@link #recording} handler saw, with their attempts. */
  final List<List<Seen>> batches = new ArrayList<>();

  record Seen(String id, String body, int attempts) {}

  EngineFixture() {
    this(QueueLimits.cloudflare());
  }

  EngineFixture(QueueLimits limits) {
    this(limits, Runtime.getRuntime().maxMemory() / 4);
  }

  EngineFixture(QueueLimits limits, long backlogMemoryLimit) {
    engine =
        TestStores.engine()
            .backlogMemoryLimit(backlogMemoryLimit)
            .clock(time)
            .scheduler(time)
            .executor(time)
            .limits(limits)
            .listener(events::add)
            .shutdownGracePeriod(Duration.ZERO)
            .build();
  }

  Queue<String> declare(String name) {
    engine.declareQueue(name);
    return engine.queue(name);
  }

  /** Wraps {@code then} so every batch it receives is recorded first. */
  QueueHandler<String> recording(Handler then) {
    return (batch, ctx) -> {
      List<Seen> seen = new ArrayList<>();
      for (Message<String> m : batch.messages()) {
        seen.add(new Seen(m.id(), m.body(), m.attempts()));
      }
      batches.add(seen);
      then.handle(batch, ctx);
    };
  }

  void consume(String queue, ConsumerSettings settings, Handler handler) {
    engine.consume(queue, String.class, settings, recording(handler));
  }

  List<String> bodies(int batch) {
    return batches.get(batch).stream().map(Seen::body).toList();
  }

  List<String> allBodies() {
    return batches.stream().flatMap(List::stream).map(Seen::body).toList();
  }

  /** Returns the exception a future failed with; fails the test if it did not fail. */
  static Throwable failure(java.util.concurrent.CompletableFuture<?> future) {
    org.assertj.core.api.Assertions.assertThat(future).isCompletedExceptionally();
    try {
      future.join();
      throw new AssertionError("not failed");
    } catch (java.util.concurrent.CompletionException e) {
      return java.util.Objects.requireNonNull(e.getCause());
    }
  }

  <E extends QueueEvent> List<E> events(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <E extends QueueEvent, R> List<R> events(Class<E> type, Function<E, R> field) {
    return events(type).stream().map(field).toList();
  }

  @Override
  public void close() {
    engine.shutdown(Duration.ZERO);
  }

  /** A handler that may throw, typed for String bodies. */
  @FunctionalInterface
  interface Handler {
    void handle(MessageBatch<String> batch, QueueContext ctx) throws Exception;
  }
}
