package io.queues4j.http;

import io.queues4j.QueueContentType;
import io.queues4j.QueueMetrics;
import io.queues4j.http.QueueBackendException.LimitExceeded;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * A test double of {@link QueueBackend} for the HTTP layer's tests: an in-memory model of the
 * contract written in {@code QueueBackend}'s Javadoc, with leases and delays on an injected clock
 * and every time-based transition evaluated lazily at the next call. It is not the product: the
 * engine-backed backend replaces it, and the same abstract tests run against both.
 *
 * <p>One lock guards everything; no call blocks or calls out while holding it.
 */
final class FakeQueueBackend implements QueueBackend {
  private final InstantSource clock;
  private final long maxBacklogMessages;
  private final Object lock = new Object();
  private final Map<String, FakeQueue> queues = new LinkedHashMap<>(); // by id, creation order
  private long sequence;

  FakeQueueBackend(InstantSource clock) {
    this(clock, Long.MAX_VALUE);
  }

  FakeQueueBackend(InstantSource clock, long maxBacklogMessages) {
    this.clock = clock;
    this.maxBacklogMessages = maxBacklogMessages;
  }

  private static final class FakeQueue {
    final String id;
    final String name;
    final Instant createdOn;
    Instant modifiedOn;
    QueueConfig config;
    @Nullable ConsumerInfo consumer;
    final List<Msg> messages = new ArrayList<>();
    final Map<String, Msg> leases = new HashMap<>();
    final TreeMap<Long, Integer> timestamps = new TreeMap<>(); // for the oldest message, cheaply
    long bytes;
    int leased;
    @Nullable PurgeStatus lastPurge;

    FakeQueue(String id, String name, Instant createdOn, QueueConfig config) {
      this.id = id;
      this.name = name;
      this.createdOn = createdOn;
      this.modifiedOn = createdOn;
      this.config = config;
    }

    PullSettings pullSettings() {
      return consumer instanceof PullConsumer p ? p.settings() : PullSettings.DEFAULTS;
    }
  }

  private static final class Msg {
    final String id;
    final byte[] body;
    final QueueContentType type;
    final Instant timestamp;
    long seq; // order among messages available at the same instant; renewed when it is retried
    Instant availableAt;
    int attempts;
    @Nullable String latestLease;
    @Nullable Instant leaseEnd; // non-null while leased
    boolean gone;

    Msg(String id, byte[] body, QueueContentType type, Instant timestamp, long seq, Instant availableAt) {
      this.id = id;
      this.body = body;
      this.type = type;
      this.timestamp = timestamp;
      this.seq = seq;
      this.availableAt = availableAt;
    }
  }

  private static final HexFormat HEX = HexFormat.of();

  private static String hexId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return HEX.toHexDigits(r.nextLong()) + HEX.toHexDigits(r.nextLong());
  }

  private FakeQueue find(String queueId) throws QueueBackendException {
    FakeQueue q = queues.get(queueId);
    if (q == null) {
      throw new QueueBackendException.UnknownQueue(queueId);
    }
    return q;
  }

  private @Nullable FakeQueue byName(String name) {
    for (FakeQueue q : queues.values()) {
      if (q.name.equals(name)) {
        return q;
      }
    }
    return null;
  }

  private static QueueInfo info(FakeQueue q) {
    return new QueueInfo(
        q.id, q.name, q.createdOn, q.modifiedOn, q.config, q.consumer == null ? List.of() : List.of(q.consumer));
  }

  /** Applies everything the clock has made due: lease expiry (a failed delivery) and retention. */
  private void settle(FakeQueue q, Instant now) {
    Instant oldestKept = now.minus(q.config.retentionPeriod());
    if (q.leased == 0
        && (q.timestamps.isEmpty() || q.timestamps.firstKey() > oldestKept.toEpochMilli())) {
      return; // nothing leased, nothing old enough to expire
    }
    for (Msg m : List.copyOf(q.messages)) {
      if (!m.timestamp.isAfter(oldestKept)) {
        remove(q, m);
      } else if (m.leaseEnd != null && !m.leaseEnd.isAfter(now)) {
        Instant end = m.leaseEnd;
        failed(q, m, end.plus(q.pullSettings().retryDelay()), now);
      }
    }
  }

  /** A delivery failed: dead-letter or delete after the last attempt, else available again. */
  private void failed(FakeQueue q, Msg m, Instant availableAt, Instant now) {
    unlease(q, m);
    PullSettings s = q.pullSettings();
    if (m.attempts > s.maxRetries()) {
      remove(q, m);
      Optional<String> dlq = s.deadLetterQueue();
      FakeQueue target = dlq.isPresent() ? byName(dlq.get()) : null;
      if (target != null) {
        add(target, new Msg(m.id, m.body, m.type, m.timestamp, ++sequence, now));
      }
    } else {
      m.availableAt = availableAt;
      m.seq = ++sequence; // behind the messages already waiting
    }
  }

  private static void add(FakeQueue q, Msg m) {
    q.messages.add(m);
    q.bytes += m.body.length;
    q.timestamps.merge(m.timestamp.toEpochMilli(), 1, Integer::sum);
  }

  private static void remove(FakeQueue q, Msg m) {
    unlease(q, m);
    m.gone = true;
    q.messages.remove(m);
    q.bytes -= m.body.length;
    q.timestamps.computeIfPresent(m.timestamp.toEpochMilli(), (k, n) -> n == 1 ? null : n - 1);
  }

  private static void unlease(FakeQueue q, Msg m) {
    if (m.leaseEnd != null) {
      m.leaseEnd = null;
      q.leased--;
    }
  }

  private static QueueMetrics metrics(FakeQueue q) {
    return q.messages.isEmpty()
        ? QueueMetrics.EMPTY
        : new QueueMetrics(q.messages.size(), q.bytes, q.timestamps.firstKey());
  }

  /** Attaches a consumer as a Java-attached push consumer would appear (a "worker"). */
  String attachWorker(String queueId, String scriptName) throws QueueBackendException {
    synchronized (lock) {
      FakeQueue q = find(queueId);
      if (q.consumer != null) {
        throw new QueueBackendException.ConsumerExists(q.name, q.consumer.id());
      }
      q.consumer =
          new WorkerConsumer(hexId(), q.id, q.name, clock.instant(), scriptName, 10, 3, Duration.ZERO,
              Duration.ofSeconds(5), OptionalInt.empty(), Optional.empty());
      return q.consumer.id();
    }
  }

  @Override
  public QueueInfo createQueue(String name, QueueConfig config) throws QueueBackendException {
    synchronized (lock) {
      if (byName(name) != null) {
        throw new QueueBackendException.QueueExists(name);
      }
      FakeQueue q = new FakeQueue(hexId(), name, clock.instant(), config);
      queues.put(q.id, q);
      return info(q);
    }
  }

  @Override
  public List<QueueInfo> listQueues() {
    synchronized (lock) {
      List<QueueInfo> all = new ArrayList<>();
      for (FakeQueue q : queues.values()) {
        all.add(info(q));
      }
      all.sort(Comparator.comparing(QueueInfo::createdOn).thenComparing(QueueInfo::name));
      return all;
    }
  }

  @Override
  public QueueInfo queue(String queueId) throws QueueBackendException {
    synchronized (lock) {
      return info(find(queueId));
    }
  }

  @Override
  public QueueInfo updateQueue(String queueId, QueueConfig config) throws QueueBackendException {
    synchronized (lock) {
      FakeQueue q = find(queueId);
      q.config = config;
      q.modifiedOn = clock.instant();
      return info(q);
    }
  }

  @Override
  public void deleteQueue(String queueId) throws QueueBackendException {
    synchronized (lock) {
      FakeQueue q = find(queueId);
      for (Msg m : q.messages) {
        m.gone = true;
      }
      queues.remove(q.id);
    }
  }

  @Override
  public QueueMetrics metrics(String queueId) throws QueueBackendException {
    synchronized (lock) {
      FakeQueue q = find(queueId);
      settle(q, clock.instant());
      return metrics(q);
    }
  }

  @Override
  public PurgeStatus purge(String queueId) throws QueueBackendException {
    synchronized (lock) {
      FakeQueue q = find(queueId);
      for (Msg m : List.copyOf(q.messages)) {
        remove(q, m);
      }
      q.lastPurge = new PurgeStatus(clock.instant(), true);
      return q.lastPurge;
    }
  }

  @Override
  public Optional<PurgeStatus> purgeStatus(String queueId) throws QueueBackendException {
    synchronized (lock) {
      return Optional.ofNullable(find(queueId).lastPurge);
    }
  }

  private void checkDeadLetterQueue(FakeQueue q, PullSettings settings) throws QueueBackendException {
    Optional<String> dlq = settings.deadLetterQueue();
    if (dlq.isPresent() && dlq.get().equals(q.name)) {
      throw new QueueBackendException.InvalidSettings(
          "dead_letter_queue must be another queue but was the queue itself ('" + q.name + "')");
    }
    if (dlq.isPresent() && byName(dlq.get()) == null) {
      throw new QueueBackendException.InvalidSettings(
          "dead_letter_queue '" + dlq.get() + "' does not exist: create it first");
    }
  }

  @Override
  public ConsumerInfo createPullConsumer(String queueId, PullSettings settings)
      throws QueueBackendException {
    synchronized (lock) {
      FakeQueue q = find(queueId);
      if (q.consumer != null) {
        throw new QueueBackendException.ConsumerExists(q.name, q.consumer.id());
      }
      checkDeadLetterQueue(q, settings);
      settle(q, clock.instant());
      q.consumer = new PullConsumer(hexId(), q.id, q.name, clock.instant(), settings);
      return q.consumer;
    }
  }

  @Override
  public List<ConsumerInfo> consumers(String queueId) throws QueueBackendException {
    synchronized (lock) {
      FakeQueue q = find(queueId);
      return q.consumer == null ? List.of() : List.of(q.consumer);
    }
  }

  @Override
  public ConsumerInfo consumer(String queueId, String consumerId) throws QueueBackendException {
    synchronized (lock) {
      FakeQueue q = find(queueId);
      if (q.consumer == null || !q.consumer.id().equals(consumerId)) {
        throw new QueueBackendException.UnknownConsumer(q.name, consumerId);
      }
      return q.consumer;
    }
  }

  @Override
  public ConsumerInfo replacePullConsumer(String queueId, String consumerId, PullSettings settings)
      throws QueueBackendException {
    synchronized (lock) {
      FakeQueue q = find(queueId);
      ConsumerInfo current = q.consumer;
      if (current == null) {
        checkDeadLetterQueue(q, settings);
        q.consumer = new PullConsumer(hexId(), q.id, q.name, clock.instant(), settings);
        return q.consumer;
      }
      if (!current.id().equals(consumerId)) {
        throw new QueueBackendException.UnknownConsumer(q.name, consumerId);
      }
      if (current instanceof WorkerConsumer) {
        throw new QueueBackendException.ConsumerExists(q.name, current.id());
      }
      checkDeadLetterQueue(q, settings);
      settle(q, clock.instant()); // leases that ended under the old settings fail under them
      q.consumer = new PullConsumer(current.id(), q.id, q.name, current.createdOn(), settings);
      return q.consumer;
    }
  }

  @Override
  public void deleteConsumer(String queueId, String consumerId) throws QueueBackendException {
    synchronized (lock) {
      FakeQueue q = find(queueId);
      if (q.consumer == null || !q.consumer.id().equals(consumerId)) {
        throw new QueueBackendException.UnknownConsumer(q.name, consumerId);
      }
      settle(q, clock.instant());
      q.consumer = null;
    }
  }

  @Override
  public CompletionStage<QueueMetrics> send(String queueId, List<OutgoingMessage> messages) {
    synchronized (lock) {
      try {
        FakeQueue q = find(queueId);
        Instant now = clock.instant();
        settle(q, now);
        checkLimits(q, messages);
        for (OutgoingMessage m : messages) {
          Duration delay =
              m.delaySeconds().isPresent()
                  ? Duration.ofSeconds(m.delaySeconds().getAsInt())
                  : q.config.deliveryDelay();
          add(q, new Msg(hexId(), m.body().clone(), m.contentType(), now, ++sequence, now.plus(delay)));
        }
        return CompletableFuture.completedFuture(metrics(q));
      } catch (QueueBackendException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  private void checkLimits(FakeQueue q, List<OutgoingMessage> messages) throws LimitExceeded {
    if (messages.isEmpty() || messages.size() > 100) {
      throw new LimitExceeded(
          LimitExceeded.Limit.BATCH_COUNT, "a batch must have 1 to 100 messages but had " + messages.size());
    }
    long total = 0;
    for (OutgoingMessage m : messages) {
      if (m.body().length > 128_000) {
        throw new LimitExceeded(
            LimitExceeded.Limit.MESSAGE_BYTES,
            "message of " + m.body().length + " bytes exceeds the limit of 128000 bytes");
      }
      total += m.body().length;
    }
    if (total > 256_000) {
      throw new LimitExceeded(
          LimitExceeded.Limit.BATCH_BYTES, "batch of " + total + " bytes exceeds the limit of 256000 bytes");
    }
    if (q.messages.size() + messages.size() > maxBacklogMessages) {
      throw new LimitExceeded(
          LimitExceeded.Limit.BACKLOG,
          "queue '" + q.name + "' holds " + q.messages.size() + " messages, its limit is "
              + maxBacklogMessages);
    }
  }

  @Override
  public CompletionStage<PullResult> pull(
      String queueId, OptionalInt batchSize, Optional<Duration> visibilityTimeout) {
    synchronized (lock) {
      try {
        FakeQueue q = find(queueId);
        if (!(q.consumer instanceof PullConsumer consumer)) {
          throw new QueueBackendException.NoPullConsumer(q.name);
        }
        if (q.config.deliveryPaused()) {
          throw new QueueBackendException.DeliveryPaused(q.name);
        }
        Instant now = clock.instant();
        settle(q, now);
        int size = batchSize.orElse(consumer.settings().batchSize());
        Duration lease = visibilityTimeout.orElse(consumer.settings().visibilityTimeout());
        List<Msg> available = new ArrayList<>();
        for (Msg m : q.messages) {
          if (m.leaseEnd == null && !m.availableAt.isAfter(now)) {
            available.add(m);
          }
        }
        available.sort(Comparator.comparing((Msg m) -> m.availableAt).thenComparingLong(m -> m.seq));
        List<PulledMessage> out = new ArrayList<>();
        for (Msg m : available.subList(0, Math.min(size, available.size()))) {
          m.attempts++;
          String leaseId = "lease-" + hexId() + hexId();
          m.latestLease = leaseId;
          m.leaseEnd = now.plus(lease);
          q.leased++;
          q.leases.put(leaseId, m);
          out.add(new PulledMessage(m.id, m.body.clone(), m.type, m.timestamp, m.attempts, leaseId));
        }
        return CompletableFuture.completedFuture(new PullResult(out, metrics(q)));
      } catch (QueueBackendException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  @Override
  public CompletionStage<AckResult> ack(String queueId, List<String> acks, List<Retry> retries) {
    synchronized (lock) {
      try {
        FakeQueue q = find(queueId);
        Instant now = clock.instant();
        settle(q, now);
        int acked = 0;
        int retried = 0;
        Map<String, String> warnings = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String lease : acks) {
          Msg m = q.leases.get(lease);
          if (!seen.add(lease)) {
            warnings.put(lease, "lease listed more than once in this request");
          } else if (m == null) {
            warnings.put(lease, "unknown lease");
          } else if (m.gone) {
            warnings.put(lease, "message " + m.id + " is no longer in the queue (already acknowledged or deleted)");
          } else {
            remove(q, m);
            acked++;
          }
        }
        for (Retry r : retries) {
          Msg m = q.leases.get(r.leaseId());
          if (!seen.add(r.leaseId())) {
            warnings.put(r.leaseId(), "lease listed more than once in this request");
          } else if (m == null) {
            warnings.put(r.leaseId(), "unknown lease");
          } else if (m.gone) {
            warnings.put(r.leaseId(), "message " + m.id + " is no longer in the queue (already acknowledged or deleted)");
          } else if (!r.leaseId().equals(m.latestLease)) {
            warnings.put(r.leaseId(), "message " + m.id + " was pulled again under a newer lease");
          } else {
            Duration delay =
                r.delaySeconds().isPresent()
                    ? Duration.ofSeconds(r.delaySeconds().getAsInt())
                    : q.pullSettings().retryDelay();
            if (m.leaseEnd != null) {
              failed(q, m, now.plus(delay), now);
            } else {
              m.availableAt = now.plus(delay);
              m.seq = ++sequence;
            }
            retried++;
          }
        }
        return CompletableFuture.completedFuture(new AckResult(acked, retried, warnings));
      } catch (QueueBackendException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }
}
