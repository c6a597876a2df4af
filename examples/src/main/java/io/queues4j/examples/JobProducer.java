package io.queues4j.examples;

import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs demo's producer: the seed's {@code fetch} handler that calls {@code env.JOBS.send(...)}.
 * It creates jobs and sends them with {@code sendBatch}, up to 100 (the per-batch limit) at a time.
 */
final class JobProducer {
  /** Cloudflare's limit on the messages of one {@code sendBatch}. */
  static final int MAX_SEND_BATCH = 100;

  private final Queue<Job> jobs;
  private final LatencyRecorder latency;
  private final int poisonNumber;

  JobProducer(Queue<Job> jobs, LatencyRecorder latency, int poisonNumber) {
    this.jobs = jobs;
    this.latency = latency;
    this.poisonNumber = poisonNumber;
  }

  /**
   * Sends jobs {@code first} to {@code last}, inclusive, in one batch: all are accepted or none.
   *
   * @throws java.util.concurrent.CompletionException wrapping a {@link io.queues4j.QueueException}
   *     if the queue refuses the batch
   */
  void send(int first, int last) {
    Instant now = Instant.now();
    List<MessageSendRequest<Job>> batch = new ArrayList<>(last - first + 1);
    for (int number = first; number <= last; number++) {
      Job job = Job.create(number, poisonNumber, now);
      batch.add(MessageSendRequest.of(job));
      latency.sent(job.id());
    }
    jobs.sendBatch(batch).join();
  }
}
