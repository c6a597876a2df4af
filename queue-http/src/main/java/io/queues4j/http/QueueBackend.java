package io.queues4j.http;

import static java.util.Objects.requireNonNull;

import io.queues4j.QueueContentType;
import io.queues4j.QueueMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;

/**
 * What the Cloudflare REST face ({@link CloudflareFace}) needs from the queues behind it: queue and
 * consumer management, and the three message operations of an HTTP pull consumer (send, pull with
 * a lease, acknowledge or retry by lease). The face parses and validates requests, checks the
 * documented limits and shapes the JSON; a backend owns the state and the delivery semantics
 * below. Implementations must be safe for concurrent use: the face calls them from many request
 * threads at once, never holding a lock.
 *
 * <h2>Identifiers</h2>
 *
 * <p>Queue, consumer and message ids are made by the backend: 32 lowercase hexadecimal characters,
 * as Cloudflare's. A queue id is stable for the queue's life and never reused for another queue
 * while the backend lives (a queue deleted and created again under the same name gets a new id).
 * Every queue the backend holds has an id, including queues declared in Java rather than over
 * HTTP. Lease ids are opaque strings of at most 256 characters, unique over the backend's life, and
 * belong to one queue: a lease presented to another queue is unknown there.
 *
 * <h2>Delivery to a pull consumer</h2>
 *
 * <ul>
 *   <li><b>Pull</b> leases up to {@code batchSize} available messages, oldest first: messages are
 *       ordered by the instant they became available, then by send order, so a batch is returned
 *       in send order and a retried message goes behind the messages that were already waiting.
 *       Delayed messages (send delay, the queue's {@code delivery_delay}, a retry delay) are not
 *       available until their delay has passed. Pulling increments each returned message's {@code
 *       attempts} (1 on its first delivery) and gives it a fresh lease that ends {@code
 *       visibilityTimeout} after the pull. An empty queue returns an empty batch at once (no long
 *       polling).
 *   <li><b>Visibility timeout:</b> a message not acknowledged or retried before its lease ends is
 *       a failed delivery: it becomes available again after the consumer's {@code retryDelay}
 *       (counted from the end of the lease), and the next pull delivers it with {@code attempts}
 *       one higher. Expiry is observed no later than the next operation on the queue.
 *   <li><b>Retries and dead letters:</b> a message is delivered at most {@code maxRetries + 1}
 *       times. When a delivery fails (explicit retry or lease expiry) and the message has already
 *       been delivered {@code maxRetries + 1} times, it is moved to the consumer's dead-letter
 *       queue (keeping its id, timestamp, content type and body; its first delivery from there has
 *       {@code attempts} 1 again), or deleted if the consumer has none.
 *   <li><b>Acknowledgement is permissive</b>, as Cloudflare's: an ack deletes the message even
 *       after its lease ended, and even if the message was pulled again by someone else in the
 *       meantime (both pullers may ack it without an error). Unknown leases and leases whose
 *       message is gone are not errors: they are reported per lease in {@link AckResult#warnings()}
 *       and leave the queue unchanged. A second ack of the same lease is therefore idempotent.
 *   <li><b>Pause:</b> while a queue's {@code deliveryPaused} is set, sends are accepted and stored,
 *       but pulls fail with {@link QueueBackendException.DeliveryPaused}; leases already given out
 *       still run out, and acks and retries still apply.
 *   <li><b>Retention:</b> a message older than the queue's {@code retentionPeriod} (counted from its
 *       timestamp) is deleted, leased or not.
 *   <li><b>Backlog:</b> the backlog of a queue is every message it holds and has not deleted:
 *       available, delayed and leased ones.
 * </ul>
 *
 * <p>Errors are {@link QueueBackendException}s, thrown by the synchronous methods and completing
 * the stages of the asynchronous ones. Anything else is a bug and answered with 500.
 */
interface QueueBackend {

  /**
   * Creates a queue.
   *
   * @param name the queue name; the face has checked it against Cloudflare's rules
   * @param config the queue's settings
   * @return the new queue, without consumers
   * @throws QueueBackendException.QueueExists if a queue has that name
   */
  QueueInfo createQueue(String name, QueueConfig config) throws QueueBackendException;

  /**
   * Lists every queue, oldest first (by creation, then name).
   *
   * @return a snapshot of the queues
   */
  List<QueueInfo> listQueues();

  /**
   * Returns a queue.
   *
   * @param queueId the queue id
   * @return the queue, with its consumers
   * @throws QueueBackendException.UnknownQueue if there is no such queue
   */
  QueueInfo queue(String queueId) throws QueueBackendException;

  /**
   * Replaces a queue's settings (a PUT and a PATCH both end here, the face having merged a PATCH
   * with the current settings). New {@code deliveryDelay} applies to messages sent afterwards; new
   * {@code retentionPeriod} to every message; unpausing makes waiting messages available at once.
   *
   * @param queueId the queue id
   * @param config the new settings
   * @return the updated queue, {@code modifiedOn} set to now
   * @throws QueueBackendException.UnknownQueue if there is no such queue
   */
  QueueInfo updateQueue(String queueId, QueueConfig config) throws QueueBackendException;

  /**
   * Deletes a queue, its messages, its consumers and its leases (later acks of them are warnings).
   * Consumers of other queues that name it as their dead-letter queue keep the name; messages they
   * dead-letter while it does not exist are deleted.
   *
   * @param queueId the queue id
   * @throws QueueBackendException.UnknownQueue if there is no such queue
   */
  void deleteQueue(String queueId) throws QueueBackendException;

  /**
   * Returns the queue's backlog.
   *
   * @param queueId the queue id
   * @return its metrics; {@code oldestMessageTimestamp} is 0 for an empty queue
   * @throws QueueBackendException.UnknownQueue if there is no such queue
   */
  QueueMetrics metrics(String queueId) throws QueueBackendException;

  /**
   * Deletes every message the queue holds, delayed and leased ones included; acks and retries of
   * their leases afterwards are warnings. Completes before returning.
   *
   * @param queueId the queue id
   * @return the purge's status: started now, completed
   * @throws QueueBackendException.UnknownQueue if there is no such queue
   */
  PurgeStatus purge(String queueId) throws QueueBackendException;

  /**
   * Returns the status of the queue's last purge.
   *
   * @param queueId the queue id
   * @return the last purge, or empty if the queue was never purged
   * @throws QueueBackendException.UnknownQueue if there is no such queue
   */
  Optional<PurgeStatus> purgeStatus(String queueId) throws QueueBackendException;

  /**
   * Attaches an HTTP pull consumer. A queue has at most one consumer of any kind.
   *
   * @param queueId the queue id
   * @param settings its settings
   * @return the new consumer
   * @throws QueueBackendException.UnknownQueue if there is no such queue
   * @throws QueueBackendException.ConsumerExists if the queue already has a consumer
   * @throws QueueBackendException.InvalidSettings if the dead-letter queue is the queue itself or
   *     does not exist
   */
  ConsumerInfo createPullConsumer(String queueId, PullSettings settings)
      throws QueueBackendException;

  /**
   * Lists the queue's consumers: none or one. A consumer attached in Java ({@code
   * QueueEngine.consume}) is listed as a {@link WorkerConsumer}.
   *
   * @param queueId the queue id
   * @return its consumers
   * @throws QueueBackendException.UnknownQueue if there is no such queue
   */
  List<ConsumerInfo> consumers(String queueId) throws QueueBackendException;

  /**
   * Returns one consumer.
   *
   * @param queueId the queue id
   * @param consumerId the consumer id
   * @return the consumer
   * @throws QueueBackendException.UnknownQueue if there is no such queue
   * @throws QueueBackendException.UnknownConsumer if the queue has no consumer with that id
   */
  ConsumerInfo consumer(String queueId, String consumerId) throws QueueBackendException;

  /**
   * Replaces the settings of the queue's pull consumer {@code consumerId}, keeping its id, its
   * creation time and the leases it gave out (they keep their end times; the new visibility timeout
   * applies to later pulls). If the queue has no consumer at all, creates one as {@link
   * #createPullConsumer} does (with a new id), as Cloudflare's "update, or create if it does not
   * exist".
   *
   * @param queueId the queue id
   * @param consumerId the consumer id
   * @param settings the new settings
   * @return the consumer
   * @throws QueueBackendException.UnknownQueue if there is no such queue
   * @throws QueueBackendException.UnknownConsumer if the queue has a consumer with another id
   * @throws QueueBackendException.ConsumerExists if {@code consumerId} is a worker consumer (it
   *     cannot become a pull consumer)
   * @throws QueueBackendException.InvalidSettings as {@link #createPullConsumer}
   */
  ConsumerInfo replacePullConsumer(String queueId, String consumerId, PullSettings settings)
      throws QueueBackendException;

  /**
   * Detaches a consumer. Messages stay in the queue; leases given out by a pull consumer stay valid
   * for acks until they end.
   *
   * @param queueId the queue id
   * @param consumerId the consumer id
   * @throws QueueBackendException.UnknownQueue if there is no such queue
   * @throws QueueBackendException.UnknownConsumer if the queue has no consumer with that id
   */
  void deleteConsumer(String queueId, String consumerId) throws QueueBackendException;

  /**
   * Sends 1 to 100 messages, all or nothing. The face has already checked Cloudflare's limits
   * (128,000 bytes a message, 256,000 bytes and 100 messages a batch, delays 0 to 86,400 s); the
   * backend enforces them again and its own backlog limit. A message without a delay gets the
   * queue's {@code deliveryDelay}; an explicit 0 overrides it. Messages keep their order.
   *
   * @param queueId the queue id
   * @param messages the messages, in send order
   * @return a stage completing, once every message is stored, with the queue's metrics after the
   *     send; or failing with {@link QueueBackendException.UnknownQueue} or {@link
   *     QueueBackendException.LimitExceeded} (nothing stored)
   */
  CompletionStage<QueueMetrics> send(String queueId, List<OutgoingMessage> messages);

  /**
   * Leases up to {@code batchSize} messages for the queue's pull consumer (see the class
   * description).
   *
   * @param queueId the queue id
   * @param batchSize 1 to 100, or empty for the consumer's {@code batchSize}
   * @param visibilityTimeout 1 ms to 12 h, or empty for the consumer's {@code visibilityTimeout}
   * @return a stage completing with the batch, or failing with {@link
   *     QueueBackendException.UnknownQueue}, {@link QueueBackendException.NoPullConsumer} (the
   *     queue has no consumer or a worker consumer) or {@link QueueBackendException.DeliveryPaused}
   */
  CompletionStage<PullResult> pull(
      String queueId, OptionalInt batchSize, Optional<Duration> visibilityTimeout);

  /**
   * Settles leased messages: acknowledges (deletes) {@code acks}, then retries {@code retries}, in
   * list order. See the class description for the permissive rules. For each retry:
   *
   * <ul>
   *   <li>counted if the lease is the message's latest one (expired or not): the message is
   *       released and becomes available after {@code delaySeconds} if given (0: at once), else
   *       after the consumer's {@code retryDelay}; if it has been delivered {@code maxRetries + 1}
   *       times it is dead-lettered or deleted instead (still counted);
   *   <li>a warning, not counted, if the lease is unknown, its message is gone (acked, purged,
   *       expired, dead-lettered, or acked earlier in the same request), or the message was pulled
   *       again under a newer lease.
   * </ul>
   *
   * <p>Acks are counted when they delete a message, and a warning otherwise (unknown lease,
   * message gone). A lease listed twice is settled once and warned about once.
   *
   * @param queueId the queue id
   * @param acks lease ids to acknowledge
   * @param retries leases to retry
   * @return a stage completing with the counts and warnings, or failing with {@link
   *     QueueBackendException.UnknownQueue}
   */
  CompletionStage<AckResult> ack(String queueId, List<String> acks, List<Retry> retries);

  /**
   * A queue's settings, as Cloudflare's {@code settings} object.
   *
   * @param deliveryDelay delay of messages sent without one: whole seconds, 0 to 86,400
   * @param retentionPeriod how long a message is kept: whole seconds, 60 s to 14 days
   * @param deliveryPaused whether pulls (and push deliveries) are paused
   */
  record QueueConfig(Duration deliveryDelay, Duration retentionPeriod, boolean deliveryPaused) {
    /** Cloudflare's defaults: no delay, 4 days' retention, not paused. */
    static final QueueConfig DEFAULTS = new QueueConfig(Duration.ZERO, Duration.ofDays(4), false);

    public QueueConfig {
      requireNonNull(deliveryDelay, "deliveryDelay");
      requireNonNull(retentionPeriod, "retentionPeriod");
      if (deliveryDelay.isNegative() || deliveryDelay.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "deliveryDelay must be 0 to 86400 s but was " + deliveryDelay);
      }
      if (retentionPeriod.compareTo(Duration.ofSeconds(60)) < 0
          || retentionPeriod.compareTo(Duration.ofDays(14)) > 0) {
        throw new IllegalArgumentException(
            "retentionPeriod must be 60 s to 14 days but was " + retentionPeriod);
      }
    }
  }

  /**
   * A queue.
   *
   * @param id its id
   * @param name its name
   * @param createdOn when it was created
   * @param modifiedOn when its settings last changed (its creation time if never)
   * @param config its settings
   * @param consumers its consumers: none or one
   */
  record QueueInfo(
      String id,
      String name,
      Instant createdOn,
      Instant modifiedOn,
      QueueConfig config,
      List<ConsumerInfo> consumers) {
    public QueueInfo {
      requireNonNull(id, "id");
      requireNonNull(name, "name");
      requireNonNull(createdOn, "createdOn");
      requireNonNull(modifiedOn, "modifiedOn");
      requireNonNull(config, "config");
      consumers = List.copyOf(consumers);
    }
  }

  /** A consumer of a queue: a pull consumer, or one attached in Java (shown as a worker). */
  sealed interface ConsumerInfo permits PullConsumer, WorkerConsumer {
    /** Returns the consumer id. */
    String id();

    /** Returns the id of the queue it consumes. */
    String queueId();

    /** Returns the name of the queue it consumes. */
    String queueName();

    /** Returns when it was attached. */
    Instant createdOn();
  }

  /**
   * An HTTP pull consumer.
   *
   * @param id its id
   * @param queueId the id of its queue
   * @param queueName the name of its queue
   * @param createdOn when it was attached
   * @param settings its settings
   */
  record PullConsumer(
      String id, String queueId, String queueName, Instant createdOn, PullSettings settings)
      implements ConsumerInfo {}

  /**
   * A push consumer, attached in Java; Cloudflare's {@code worker} type.
   *
   * @param id its id
   * @param queueId the id of its queue
   * @param queueName the name of its queue
   * @param createdOn when it was attached
   * @param scriptName a name for it (Cloudflare's Worker script name)
   * @param batchSize most messages in a batch
   * @param maxRetries retries before dead-lettering
   * @param retryDelay delay before a retried message is available again
   * @param maxWaitTime longest wait for a batch to fill
   * @param maxConcurrency most batches in flight, or empty for the engine's default
   * @param deadLetterQueue the dead-letter queue's name, if any
   */
  record WorkerConsumer(
      String id,
      String queueId,
      String queueName,
      Instant createdOn,
      String scriptName,
      int batchSize,
      int maxRetries,
      Duration retryDelay,
      Duration maxWaitTime,
      OptionalInt maxConcurrency,
      Optional<String> deadLetterQueue)
      implements ConsumerInfo {}

  /**
   * The settings of a pull consumer.
   *
   * @param batchSize messages per pull when a pull does not say: 1 to 100
   * @param maxRetries retries before dead-lettering: 0 to 100
   * @param retryDelay delay before a failed message is available again: whole seconds, 0 to 86,400
   * @param visibilityTimeout lease length when a pull does not say: 1 ms to 12 h
   * @param deadLetterQueue the name of the queue that receives messages out of retries, if any
   */
  record PullSettings(
      int batchSize,
      int maxRetries,
      Duration retryDelay,
      Duration visibilityTimeout,
      Optional<String> deadLetterQueue) {
    /** The defaults: pulls of 5 with 30 s leases (as Cloudflare's pull), 3 retries, no delay. */
    static final PullSettings DEFAULTS =
        new PullSettings(5, 3, Duration.ZERO, Duration.ofSeconds(30), Optional.empty());

    public PullSettings {
      requireNonNull(retryDelay, "retryDelay");
      requireNonNull(visibilityTimeout, "visibilityTimeout");
      requireNonNull(deadLetterQueue, "deadLetterQueue");
      if (batchSize < 1 || batchSize > 100) {
        throw new IllegalArgumentException("batchSize must be 1 to 100 but was " + batchSize);
      }
      if (maxRetries < 0 || maxRetries > 100) {
        throw new IllegalArgumentException("maxRetries must be 0 to 100 but was " + maxRetries);
      }
      if (retryDelay.isNegative() || retryDelay.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("retryDelay must be 0 to 86400 s but was " + retryDelay);
      }
      if (visibilityTimeout.compareTo(Duration.ofMillis(1)) < 0
          || visibilityTimeout.compareTo(Duration.ofHours(12)) > 0) {
        throw new IllegalArgumentException(
            "visibilityTimeout must be 1 ms to 12 h but was " + visibilityTimeout);
      }
    }
  }

  /**
   * A message to send.
   *
   * @param body the encoded body: JSON text in UTF-8, text in UTF-8, or the bytes
   * @param contentType {@code JSON}, {@code TEXT} or {@code BYTES}
   * @param delaySeconds 0 to 86,400, or empty for the queue's delivery delay
   */
  @SuppressWarnings("ArrayRecordComponent") // a transfer value, never compared
  record OutgoingMessage(byte[] body, QueueContentType contentType, OptionalInt delaySeconds) {
    public OutgoingMessage {
      requireNonNull(body, "body");
      requireNonNull(contentType, "contentType");
      requireNonNull(delaySeconds, "delaySeconds");
    }
  }

  /**
   * A leased message.
   *
   * @param id the message id
   * @param body the encoded body, as sent
   * @param contentType its content type ({@code V8} for a structured clone sent in Java)
   * @param timestamp when it was first sent
   * @param attempts deliveries so far, this one included
   * @param leaseId the lease to ack or retry it with
   */
  @SuppressWarnings("ArrayRecordComponent") // a transfer value, never compared
  record PulledMessage(
      String id,
      byte[] body,
      QueueContentType contentType,
      Instant timestamp,
      int attempts,
      String leaseId) {}

  /**
   * A pulled batch.
   *
   * @param messages the leased messages, in delivery order
   * @param metrics the queue's backlog after the pull (leased messages count)
   */
  record PullResult(List<PulledMessage> messages, QueueMetrics metrics) {
    public PullResult {
      messages = List.copyOf(messages);
      requireNonNull(metrics, "metrics");
    }
  }

  /**
   * A lease to retry.
   *
   * @param leaseId the lease
   * @param delaySeconds 0 to 86,400, or empty for the consumer's retry delay
   */
  record Retry(String leaseId, OptionalInt delaySeconds) {}

  /**
   * The outcome of an ack request.
   *
   * @param acked messages acknowledged
   * @param retried messages retried
   * @param warnings by lease id, why a lease was not counted, in request order
   */
  record AckResult(int acked, int retried, Map<String, String> warnings) {
    public AckResult {
      warnings = Collections.unmodifiableMap(new LinkedHashMap<>(warnings));
    }
  }

  /**
   * A purge.
   *
   * @param startedAt when it started
   * @param completed whether it has completed
   */
  record PurgeStatus(Instant startedAt, boolean completed) {}
}
