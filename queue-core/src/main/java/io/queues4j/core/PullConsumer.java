package io.queues4j.core;

import io.queues4j.QueueRetryOptions;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * A pull consumer of a queue (Cloudflare's {@code http_pull} consumer): instead of the engine
 * pushing batches to a handler, clients {@linkplain #pull() pull} messages, each leased for a
 * visibility timeout, and settle them by lease with {@link #ack}. A message neither acknowledged
 * nor retried before its lease ends counts as a failed delivery: it can be pulled again after the
 * consumer's {@code retryDelay}, with {@code attempts} one higher, and after {@code maxRetries + 1}
 * deliveries it goes to the dead-letter queue (or is dropped) as with a push consumer.
 *
 * <p>Obtain one with {@link QueueEngine#attachPullConsumer}. A queue has one consumer, push or
 * pull. <b>Thread-safety:</b> every method may be called from any thread. <b>Delivery:</b>
 * at-least-once; an acknowledgement arriving after the lease ended is reported as a warning and
 * not applied, so that message is delivered again.
 */
public interface PullConsumer {

  /**
   * Returns the queue consumed.
   *
   * @return the queue name
   */
  String queue();

  /**
   * Returns the consumer's settings.
   *
   * @return the settings
   */
  PullSettings settings();

  /**
   * Pulls up to the consumer's {@code batchSize} messages with its {@code visibilityTimeout}.
   *
   * @return see {@link #pull(int, Duration)}
   */
  default CompletableFuture<PulledBatch> pull() {
    return pull(settings().batchSize(), settings().visibilityTimeout());
  }

  /**
   * Leases up to {@code batchSize} messages that are ready, oldest first; each pulled message
   * counts a delivery attempt. Returns at once with what is ready, possibly nothing.
   *
   * @param batchSize 1..100
   * @param visibilityTimeout 1 ms..12 h: how long each message stays leased
   * @return the batch, with the queue's backlog after the pull; fails with {@link
   *     io.queues4j.QueuePausedException} while delivery is paused, or {@link
   *     io.queues4j.QueueStorageException} if the store failed
   * @throws IllegalArgumentException if an argument is out of range
   * @throws IllegalStateException if the consumer was detached or the engine closed
   */
  CompletableFuture<PulledBatch> pull(int batchSize, Duration visibilityTimeout);

  /**
   * Settles leased messages: acknowledges (removes) those of {@code acks}, then retries those of
   * {@code retries} after their delay (or the consumer's {@code retryDelay}); a retry of a message
   * past its last delivery moves it to the dead-letter queue or drops it. A lease that is unknown,
   * has ended, or was settled already is reported in {@link AckResult#warnings()} and changes
   * nothing. The future completes once the store has applied the settlements.
   *
   * @param acks lease ids to acknowledge
   * @param retries leases to retry
   * @return the counts and the warnings
   * @throws IllegalStateException if the engine closed
   */
  CompletableFuture<AckResult> ack(Collection<String> acks, Collection<LeaseRetry> retries);

  /**
   * A lease to retry.
   *
   * @param leaseId the lease
   * @param options its delay; {@link QueueRetryOptions#DEFAULT} for the consumer's retry delay
   */
  record LeaseRetry(String leaseId, QueueRetryOptions options) {
    /**
     * Validates the retry.
     *
     * @param leaseId see the record description
     * @param options see the record description
     */
    public LeaseRetry {
      java.util.Objects.requireNonNull(leaseId, "leaseId");
      java.util.Objects.requireNonNull(options, "options");
    }
  }

  /**
   * What an {@link #ack} did.
   *
   * @param acked messages acknowledged
   * @param retried messages retried (dead-lettered or dropped ones included)
   * @param warnings by lease id, why a lease was not applied, in request order
   */
  record AckResult(int acked, int retried, java.util.Map<String, String> warnings) {
    /**
     * Copies the result.
     *
     * @param acked see the record description
     * @param retried see the record description
     * @param warnings see the record description
     */
    public AckResult {
      warnings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(warnings));
    }
  }

  /**
   * A pulled batch.
   *
   * @param messages the leased messages, in delivery order
   * @param metrics the queue's backlog after the pull (leased messages count)
   */
  record PulledBatch(java.util.List<PulledMessage> messages, io.queues4j.QueueMetrics metrics) {
    /**
     * Copies the batch.
     *
     * @param messages see the record description
     * @param metrics see the record description
     */
    public PulledBatch {
      messages = java.util.List.copyOf(messages);
      java.util.Objects.requireNonNull(metrics, "metrics");
    }
  }
}
