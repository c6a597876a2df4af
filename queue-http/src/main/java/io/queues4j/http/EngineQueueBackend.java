package io.queues4j.http;

import com.fasterxml.jackson.databind.util.RawValue;
import io.queues4j.BatchTooLargeException;
import io.queues4j.MessageSendRequest;
import io.queues4j.MessageTooLargeException;
import io.queues4j.QueueClosedException;
import io.queues4j.QueueContentType;
import io.queues4j.QueueMetrics;
import io.queues4j.QueueNotFoundException;
import io.queues4j.QueuePausedException;
import io.queues4j.QueueRetryOptions;
import io.queues4j.QueueStorageException;
import io.queues4j.StorageLimitExceededException;
import io.queues4j.TooManyMessagesException;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueAdmin;
import io.queues4j.core.QueueEngine;
import io.queues4j.core.QueueSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The Cloudflare REST face's backend over a {@link QueueEngine}: queues are the engine's queues,
 * {@code http_pull} consumers its {@link io.queues4j.core.PullConsumer}s, push consumers attached in
 * Java show as workers. What the engine does not keep (queue and consumer ids, creation times, the
 * last purge) is kept here, in memory: ids are new after a restart.
 *
 * <p>Where it differs from {@link QueueBackend}'s permissive description, it follows the engine's
 * at-least-once rules: an ack or retry of a lease that has ended is a warning and changes nothing
 * (the message is delivered again); a queue that another queue's consumer uses as its dead-letter
 * queue cannot be deleted (400, remove that consumer first).
 */
final class EngineQueueBackend implements QueueBackend {
  private static final HexFormat HEX = HexFormat.of();

  private final QueueEngine engine;
  private final QueueAdmin admin;
  private final InstantSource clock;
  /** By queue name: what the engine does not keep. */
  private final ConcurrentHashMap<String, Meta> metas = new ConcurrentHashMap<>();

  /** Ids, times and the last purge of one queue (and of its consumer). */
  private static final class Meta {
    final String id = hexId();
    final Instant createdOn;
    volatile Instant modifiedOn;
    volatile @Nullable String consumerId;
    volatile Instant consumerCreatedOn;
    volatile @Nullable PurgeStatus lastPurge;

    Meta(Instant now) {
      this.createdOn = now;
      this.modifiedOn = now;
      this.consumerCreatedOn = now;
    }
  }

  EngineQueueBackend(QueueEngine engine, InstantSource clock) {
    this.engine = engine;
    this.admin = engine.admin();
    this.clock = clock;
  }

  private static String hexId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return HEX.toHexDigits(r.nextLong()) + HEX.toHexDigits(r.nextLong());
  }

  private Meta meta(String name) {
    return metas.computeIfAbsent(name, n -> new Meta(clock.instant()));
  }

  /** The name of the queue with {@code queueId}, among the engine's queues. */
  private String name(String queueId) throws QueueBackendException {
    for (String name : engine.queueNames()) {
      if (meta(name).id.equals(queueId)) {
        return name;
      }
    }
    throw new QueueBackendException.UnknownQueue(queueId);
  }

  private QueueInfo info(String name) throws QueueBackendException {
    Meta m = meta(name);
    try {
      QueueSettings s = admin.settings(name);
      QueueConfig config =
          new QueueConfig(s.deliveryDelay(), s.retentionPeriod(), admin.paused(name));
      return new QueueInfo(m.id, name, m.createdOn, m.modifiedOn, config, consumerList(name, m));
    } catch (QueueNotFoundException e) {
      throw new QueueBackendException.UnknownQueue(m.id);
    }
  }

  private List<ConsumerInfo> consumerList(String name, Meta m) {
    Optional<io.queues4j.core.PullConsumer> pull = admin.pullConsumer(name);
    Optional<ConsumerSettings> push = admin.consumerSettings(name);
    if (pull.isEmpty() && push.isEmpty()) {
      m.consumerId = null;
      return List.of();
    }
    String id = m.consumerId;
    if (id == null) { // attached in Java: give it an id now
      id = hexId();
      m.consumerId = id;
      m.consumerCreatedOn = clock.instant();
    }
    if (pull.isPresent()) {
      io.queues4j.core.PullSettings s = pull.get().settings();
      return List.of(new PullConsumer(id, m.id, name, m.consumerCreatedOn,
          new PullSettings(s.batchSize(), s.maxRetries(), s.retryDelay(), s.visibilityTimeout(),
              s.deadLetterQueue())));
    }
    ConsumerSettings s = push.orElseThrow();
    return List.of(new WorkerConsumer(id, m.id, name, m.consumerCreatedOn, name,
        s.maxBatchSize(), s.maxRetries(), s.retryDelay(), s.maxBatchTimeout(), s.maxConcurrency(),
        s.deadLetterQueue()));
  }

  private static QueueSettings settings(QueueSettings base, QueueConfig config) {
    return base.toBuilder().deliveryDelay(config.deliveryDelay())
        .retentionPeriod(config.retentionPeriod()).build();
  }

  @Override
  public QueueInfo createQueue(String name, QueueConfig config) throws QueueBackendException {
    synchronized (metas) {
      if (engine.queueNames().contains(name)) {
        throw new QueueBackendException.QueueExists(name);
      }
      metas.put(name, new Meta(clock.instant())); // a new id, even for a name used before
      engine.declareQueue(name, settings(QueueSettings.defaults(), config));
      admin.pause(name, config.deliveryPaused());
      return info(name);
    }
  }

  @Override
  public List<QueueInfo> listQueues() {
    List<QueueInfo> all = new ArrayList<>();
    for (String name : engine.queueNames()) {
      try {
        all.add(info(name));
      } catch (QueueBackendException deletedMeanwhile) {
        // gone between the listing and the lookup
      }
    }
    all.sort((a, b) -> a.createdOn().equals(b.createdOn())
        ? a.name().compareTo(b.name()) : a.createdOn().compareTo(b.createdOn()));
    return all;
  }

  @Override
  public QueueInfo queue(String queueId) throws QueueBackendException {
    return info(name(queueId));
  }

  @Override
  public QueueInfo updateQueue(String queueId, QueueConfig config) throws QueueBackendException {
    String name = name(queueId);
    admin.update(name, settings(admin.settings(name), config));
    admin.pause(name, config.deliveryPaused());
    meta(name).modifiedOn = clock.instant();
    return info(name);
  }

  @Override
  public void deleteQueue(String queueId) throws QueueBackendException {
    synchronized (metas) {
      String name = name(queueId);
      try {
        admin.detach(name);
        admin.delete(name);
      } catch (IllegalStateException e) {
        throw new QueueBackendException.InvalidSettings(String.valueOf(e.getMessage()));
      }
      metas.remove(name);
    }
  }

  @Override
  public QueueMetrics metrics(String queueId) throws QueueBackendException {
    return engine.stats(name(queueId)).metrics();
  }

  @Override
  public PurgeStatus purge(String queueId) throws QueueBackendException {
    String name = name(queueId);
    Instant start = clock.instant();
    admin.purge(name);
    PurgeStatus status = new PurgeStatus(start, true);
    meta(name).lastPurge = status;
    return status;
  }

  @Override
  public Optional<PurgeStatus> purgeStatus(String queueId) throws QueueBackendException {
    return Optional.ofNullable(meta(name(queueId)).lastPurge);
  }

  private io.queues4j.core.PullSettings engineSettings(String queue, PullSettings s)
      throws QueueBackendException {
    if (s.deadLetterQueue().isPresent()) {
      String dlq = s.deadLetterQueue().get();
      if (dlq.equals(queue)) {
        throw new QueueBackendException.InvalidSettings(
            "dead_letter_queue must be another queue but was the queue itself ('" + queue + "')");
      }
      if (!engine.queueNames().contains(dlq)) {
        throw new QueueBackendException.InvalidSettings(
            "dead_letter_queue '" + dlq + "' does not exist: create it first");
      }
    }
    io.queues4j.core.PullSettings.Builder b = io.queues4j.core.PullSettings.builder()
        .batchSize(s.batchSize()).maxRetries(s.maxRetries()).retryDelay(s.retryDelay())
        .visibilityTimeout(s.visibilityTimeout());
    s.deadLetterQueue().ifPresent(b::deadLetterQueue);
    return b.build();
  }

  @Override
  public ConsumerInfo createPullConsumer(String queueId, PullSettings settings)
      throws QueueBackendException {
    synchronized (metas) {
      String name = name(queueId);
      Meta m = meta(name);
      List<ConsumerInfo> existing = consumerList(name, m);
      if (!existing.isEmpty()) {
        throw new QueueBackendException.ConsumerExists(name, existing.get(0).id());
      }
      try {
        engine.attachPullConsumer(name, engineSettings(name, settings));
      } catch (IllegalStateException e) {
        throw new QueueBackendException.InvalidSettings(String.valueOf(e.getMessage()));
      }
      m.consumerId = hexId();
      m.consumerCreatedOn = clock.instant();
      return consumerList(name, m).get(0);
    }
  }

  @Override
  public List<ConsumerInfo> consumers(String queueId) throws QueueBackendException {
    String name = name(queueId);
    return consumerList(name, meta(name));
  }

  @Override
  public ConsumerInfo consumer(String queueId, String consumerId) throws QueueBackendException {
    String name = name(queueId);
    for (ConsumerInfo c : consumerList(name, meta(name))) {
      if (c.id().equals(consumerId)) {
        return c;
      }
    }
    throw new QueueBackendException.UnknownConsumer(name, consumerId);
  }

  @Override
  public ConsumerInfo replacePullConsumer(String queueId, String consumerId, PullSettings settings)
      throws QueueBackendException {
    synchronized (metas) {
      String name = name(queueId);
      Meta m = meta(name);
      List<ConsumerInfo> existing = consumerList(name, m);
      if (existing.isEmpty()) {
        return createPullConsumer(queueId, settings);
      }
      ConsumerInfo current = existing.get(0);
      if (!current.id().equals(consumerId)) {
        throw new QueueBackendException.UnknownConsumer(name, consumerId);
      }
      if (current instanceof WorkerConsumer) {
        throw new QueueBackendException.ConsumerExists(name, consumerId);
      }
      try {
        admin.replacePullConsumer(name, engineSettings(name, settings));
      } catch (IllegalStateException e) {
        throw new QueueBackendException.InvalidSettings(String.valueOf(e.getMessage()));
      }
      return consumerList(name, m).get(0);
    }
  }

  @Override
  public void deleteConsumer(String queueId, String consumerId) throws QueueBackendException {
    synchronized (metas) {
      String name = name(queueId);
      consumer(queueId, consumerId); // exists, with this id
      admin.detach(name);
      meta(name).consumerId = null;
    }
  }

  @Override
  public CompletionStage<QueueMetrics> send(String queueId, List<OutgoingMessage> messages) {
    String name;
    try {
      name = name(queueId);
    } catch (QueueBackendException e) {
      return CompletableFuture.failedFuture(e);
    }
    List<MessageSendRequest<Object>> requests = new ArrayList<>(messages.size());
    for (OutgoingMessage m : messages) {
      requests.add(new MessageSendRequest<>(body(m), m.contentType(), m.delaySeconds()));
    }
    return engine.<Object>queue(name).sendBatch(requests)
        .handle((result, failure) -> {
          if (failure != null) {
            throw new CompletionException(translate(name, failure));
          }
          return result.metadata().metrics();
        });
  }

  /** The value the engine's codec writes back as the same bytes. */
  private static Object body(OutgoingMessage m) {
    return switch (m.contentType()) {
      case TEXT -> new String(m.body(), StandardCharsets.UTF_8);
      case BYTES -> m.body();
      default -> new RawValue(new String(m.body(), StandardCharsets.UTF_8)); // JSON, verbatim
    };
  }

  private static Throwable translate(String queue, Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (t instanceof MessageTooLargeException e) {
      return new QueueBackendException.LimitExceeded(
          QueueBackendException.LimitExceeded.Limit.MESSAGE_BYTES, String.valueOf(e.getMessage()));
    }
    if (t instanceof BatchTooLargeException e) {
      return new QueueBackendException.LimitExceeded(
          QueueBackendException.LimitExceeded.Limit.BATCH_BYTES, String.valueOf(e.getMessage()));
    }
    if (t instanceof TooManyMessagesException e) {
      return new QueueBackendException.LimitExceeded(
          QueueBackendException.LimitExceeded.Limit.BATCH_COUNT, String.valueOf(e.getMessage()));
    }
    if (t instanceof StorageLimitExceededException e) {
      return new QueueBackendException.LimitExceeded(
          QueueBackendException.LimitExceeded.Limit.BACKLOG, String.valueOf(e.getMessage()));
    }
    if (t instanceof QueuePausedException) {
      return new QueueBackendException.DeliveryPaused(queue);
    }
    if (t instanceof QueueNotFoundException) {
      return new QueueBackendException.UnknownQueue(queue);
    }
    if (t instanceof QueueClosedException || t instanceof QueueStorageException
        || t instanceof IllegalStateException) {
      return new QueueBackendException.Unavailable(
          "queue '" + queue + "' is not available: " + t.getMessage());
    }
    return t;
  }

  @Override
  public CompletionStage<PullResult> pull(
      String queueId, OptionalInt batchSize, Optional<Duration> visibilityTimeout) {
    try {
      String name = name(queueId);
      Optional<io.queues4j.core.PullConsumer> consumer = admin.pullConsumer(name);
      if (consumer.isEmpty()) {
        throw new QueueBackendException.NoPullConsumer(name);
      }
      io.queues4j.core.PullConsumer pull = consumer.get();
      return pull.pull(batchSize.orElse(pull.settings().batchSize()),
              visibilityTimeout.orElse(pull.settings().visibilityTimeout()))
          .handle((batch, failure) -> {
            if (failure != null) {
              throw new CompletionException(translate(name, failure));
            }
            List<PulledMessage> messages = new ArrayList<>(batch.messages().size());
            for (io.queues4j.core.PulledMessage m : batch.messages()) {
              messages.add(new PulledMessage(m.id(), m.bodyBytes(), m.contentType(),
                  m.timestamp(), m.attempts(), m.leaseId()));
            }
            return new PullResult(messages, batch.metrics());
          });
    } catch (QueueBackendException e) {
      return CompletableFuture.failedFuture(e);
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(translate(queueId, e));
    }
  }

  @Override
  public CompletionStage<AckResult> ack(String queueId, List<String> acks, List<Retry> retries) {
    try {
      String name = name(queueId);
      Optional<io.queues4j.core.PullConsumer> consumer = admin.pullConsumer(name);
      if (consumer.isEmpty()) { // no consumer: every lease is unknown
        java.util.Map<String, String> warnings = new java.util.LinkedHashMap<>();
        acks.forEach(a -> warnings.putIfAbsent(a, "unknown lease: the queue has no pull consumer"));
        retries.forEach(r -> warnings.putIfAbsent(r.leaseId(),
            "unknown lease: the queue has no pull consumer"));
        return CompletableFuture.completedFuture(new AckResult(0, 0, warnings));
      }
      List<io.queues4j.core.PullConsumer.LeaseRetry> leaseRetries = new ArrayList<>();
      for (Retry r : retries) {
        QueueRetryOptions options = r.delaySeconds().isPresent()
            ? QueueRetryOptions.delaySeconds(r.delaySeconds().getAsInt())
            : QueueRetryOptions.DEFAULT;
        leaseRetries.add(new io.queues4j.core.PullConsumer.LeaseRetry(r.leaseId(), options));
      }
      return consumer.get().ack(acks, leaseRetries).handle((result, failure) -> {
        if (failure != null) {
          throw new CompletionException(translate(name, failure));
        }
        return new AckResult(result.acked(), result.retried(), result.warnings());
      });
    } catch (QueueBackendException e) {
      return CompletableFuture.failedFuture(e);
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(translate(queueId, e));
    }
  }

  @Override
  public String toString() {
    return "engine backend over " + engine.queueNames().size() + " queues";
  }
}
