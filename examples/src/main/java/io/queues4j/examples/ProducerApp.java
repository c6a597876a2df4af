package io.queues4j.examples;

import io.queues4j.Queue;
import java.util.UUID;

/**
 * The producer app of the separate-apps example: it owns no queue, it only holds a send binding to
 * the consumer app's queue, as the seed's producer backend sends to another backend's {@code jobs}
 * queue. Its {@link #enqueue} plays the seed's {@code /enqueue?text=hello} endpoint.
 */
final class ProducerApp {
  private final Queue<Task> jobs;

  ProducerApp(Queue<Task> jobs) {
    this.jobs = jobs;
  }

  /**
   * Queues a task and returns at once with its id; delivery is asynchronous, so the caller polls
   * the consumer app for the outcome.
   *
   * @throws java.util.concurrent.CompletionException wrapping a {@link io.queues4j.QueueException}
   *     if the queue refuses the message
   */
  String enqueue(String text) {
    Task task = new Task(UUID.randomUUID().toString(), text);
    jobs.send(task).join();
    return task.id();
  }
}
