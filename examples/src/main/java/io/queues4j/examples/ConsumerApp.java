package io.queues4j.examples;

import io.queues4j.Message;
import io.queues4j.MessageBatch;
import io.queues4j.QueueContext;
import io.queues4j.QueueHandler;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consumer app of the separate-apps example: it declares the {@code jobs} queue, receives its
 * batches, and records what it processed in its own state (the seed's {@code STATE} KV binding),
 * which the outside world can query, like the seed's {@code checkDeliveryAt} URL.
 */
final class ConsumerApp implements QueueHandler<Task> {
  static final String QUEUE = "jobs";

  /**
   * The seed's W7S consumer defaults: batch size 10, max retries 3, retry delay 10 s; plus a short
   * batch timeout so a lone message is not held for the default 5 s.
   */
  static final ConsumerSettings SETTINGS =
      ConsumerSettings.builder()
          .maxBatchSize(10)
          .maxRetries(3)
          .retryDelay(Duration.ofSeconds(10))
          .maxBatchTimeout(Duration.ofMillis(100))
          .build();

  private final Map<String, String> state = new ConcurrentHashMap<>();

  private ConsumerApp() {}

  /** Declares the queue and starts consuming it. */
  static ConsumerApp start(QueueEngine engine) {
    ConsumerApp app = new ConsumerApp();
    engine.declareQueue(QUEUE);
    engine.consume(QUEUE, Task.class, SETTINGS, app);
    return app;
  }

  @Override
  public void queue(MessageBatch<Task> batch, QueueContext ctx) {
    for (Message<Task> message : batch.messages()) {
      Task task = message.body();
      state.put(task.id(), "processed '" + task.text().toUpperCase(Locale.ROOT) + "'");
    }
    // Returning normally acknowledges the whole batch; throwing would retry it after 10 s.
  }

  /** Returns what became of a task, or empty while it is not processed yet. */
  Optional<String> status(String taskId) {
    return Optional.ofNullable(state.get(taskId));
  }
}
