package io.queues4j.examples;

import io.queues4j.Message;
import io.queues4j.MessageBatch;
import io.queues4j.QueueContext;
import io.queues4j.QueueHandler;
import io.queues4j.QueueRetryOptions;

/**
 * The jobs demo's consumer: the seed's {@code async queue(batch, env)} handler. It runs each job,
 * writes the result to the key-value store and acknowledges the message; a failed attempt is
 * retried with Cloudflare's documented exponential backoff, {@code base^attempts} seconds: 2 s
 * after the first attempt, then 4 s, 8 s and so on. Once a job has had {@code maxRetries + 1}
 * attempts the engine moves it to the dead-letter queue.
 *
 * <p>Each message is marked on its own, so one failing job never causes the others of its batch to
 * be redelivered. Thread-safe: the engine may run several batches at once.
 */
final class JobConsumer implements QueueHandler<Job> {
  /** Backoff base: the retry after attempt {@code n} waits {@code 2^n} seconds. */
  private static final int BACKOFF_BASE = 2;

  private final FlakyDownstream downstream;
  private final ResultStore results;
  private final LatencyRecorder latency;

  JobConsumer(FlakyDownstream downstream, ResultStore results, LatencyRecorder latency) {
    this.downstream = downstream;
    this.results = results;
    this.latency = latency;
  }

  // @start region=handler
  @Override
  public void queue(MessageBatch<Job> batch, QueueContext ctx) {
    for (Message<Job> message : batch.messages()) {
      Job job = message.body();
      try {
        String output = downstream.run(job, message.attempts());
        results.put(new JobResult(job.id(), output, message.attempts()));
        message.ack();
        latency.acked(job.id());
      } catch (JobFailedException e) {
        message.retry(QueueRetryOptions.exponentialBackoff(BACKOFF_BASE, message.attempts()));
      }
    }
  }
  // @end region=handler
}
