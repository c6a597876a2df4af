package io.queues4j.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.QueueContentType;
import io.queues4j.QueueMetrics;
import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.MessageStore;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link MessageStore}, as docs/STORAGE.md states it: extend this class with a
 * factory of fresh, empty stores. Every test drives the store through the SPI alone, on explicit
 * times (no clock, no sleeping).
 *
 * <p>Covered: visibility order and delays, attempts, retries (counted or not), deletion,
 * dead-letter moves (deliverable, held, evicted beyond capacity, released), retention expiry,
 * purge, metrics, stale settlements, and concurrent sends, claims and settlements.
 */
public abstract class MessageStoreContract {
  /** A fixed "now" for the tests: 2026-01-01T00:00:00Z. */
  protected static final long T0 = 1_767_225_600_000L;

  private static final long LEASE = T0 + 3_600_000;

  private final AtomicLong ids = new AtomicLong(1);

  /** The store under test; opened before each test, closed after it. */
  protected MessageStore store;

  /** For subclasses. */
  protected MessageStoreContract() {}

  /**
   * Opens a store on fresh, empty storage.
   *
   * @return the store
   * @throws Exception if it cannot be opened
   */
  protected abstract MessageStore openEmpty() throws Exception;

  @BeforeEach
  final void openStore() throws Exception {
    store = openEmpty();
  }

  @AfterEach
  final void closeStore() {
    store.close();
  }

  // ---- helpers ----

  /**
   * Returns a new message with a unique id, sent at {@code timestamp}, visible at {@code visibleAt}.
   *
   * @param body its text body
   * @param timestamp the send time
   * @param visibleAt when it becomes deliverable
   * @return the message
   */
  protected final StoredMessage message(String body, long timestamp, long visibleAt) {
    return StoredMessage.of(0x5eed, ids.getAndIncrement(), timestamp,
        body.getBytes(StandardCharsets.UTF_8), QueueContentType.TEXT, visibleAt, 0);
  }

  /**
   * Waits for a store operation.
   *
   * @param stage the operation
   * @param <T> its result
   * @return its result
   */
  protected static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("store operation failed or took over 30 s", e);
    }
  }

  /**
   * Returns the text bodies of messages.
   *
   * @param messages the messages
   * @return their bodies as strings
   */
  protected static List<String> bodies(List<StoredMessage> messages) {
    return messages.stream().map(m -> new String(m.body(), StandardCharsets.UTF_8)).toList();
  }

  /**
   * Returns the text bodies of claims.
   *
   * @param claims the claims
   * @return their bodies as strings
   */
  protected static List<String> claimed(List<Claim> claims) {
    return bodies(claims.stream().map(Claim::message).toList());
  }

  /**
   * Adds messages sent at {@link #T0}, visible at once.
   *
   * @param queue the queue
   * @param bodies one message per body
   */
  protected final void send(QueueStore queue, String... bodies) {
    List<StoredMessage> batch = new ArrayList<>();
    for (String body : bodies) {
      batch.add(message(body, T0, T0));
    }
    join(queue.add(batch));
  }

  /**
   * Claims up to {@code max} messages at {@code now}.
   *
   * @param queue the queue
   * @param max the most to claim
   * @param now the time
   * @return the claims
   */
  protected static List<Claim> claim(QueueStore queue, int max, long now) {
    return join(queue.claim(max, now, LEASE)).claims();
  }

  private static SettleResult settle(QueueStore queue, Settlement... settlements) {
    return join(queue.settle(List.of(settlements)));
  }

  // ---- adding and claiming ----

  @Test
  void claimsReadyMessagesInSendOrderUpToTheMaximum() {
    QueueStore q = store.queue("jobs");
    send(q, "a", "b", "c");
    assertThat(claimed(claim(q, 2, T0))).containsExactly("a", "b");
    assertThat(claimed(claim(q, 10, T0))).containsExactly("c");
    assertThat(claim(q, 10, T0)).isEmpty();
  }

  @Test
  void aClaimCountsAnAttemptAndKeepsTheMessage() {
    QueueStore q = store.queue("jobs");
    StoredMessage sent = message("a", T0, T0);
    join(q.add(List.of(sent)));
    Claim claim = claim(q, 1, T0).get(0);
    StoredMessage m = claim.message();
    assertThat(m.attempts()).isEqualTo(1);
    assertThat(m.id()).isEqualTo(sent.id());
    assertThat(m.idHigh()).isEqualTo(sent.idHigh());
    assertThat(m.idLow()).isEqualTo(sent.idLow());
    assertThat(m.timestamp()).isEqualTo(T0);
    assertThat(m.contentType()).isEqualTo(QueueContentType.TEXT);
    assertThat(m.body()).isEqualTo(sent.body());
    assertThat(q.metrics().backlogCount()).as("a claimed message still counts").isEqualTo(1);
  }

  @Test
  void delayedMessagesWaitUntilVisibleAndComeInVisibilityOrder() {
    QueueStore q = store.queue("jobs");
    join(q.add(List.of(
        message("late", T0, T0 + 30_000),
        message("early", T0, T0 + 10_000),
        message("now", T0, T0))));
    ClaimResult first = join(q.claim(10, T0, LEASE));
    assertThat(claimed(first.claims())).containsExactly("now");
    assertThat(first.nextVisibleAt()).isEqualTo(T0 + 10_000);
    assertThat(claim(q, 10, T0 + 9_999)).isEmpty();
    ClaimResult later = join(q.claim(10, T0 + 40_000, LEASE));
    assertThat(claimed(later.claims())).containsExactly("early", "late");
    assertThat(later.nextVisibleAt()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void messagesVisibleAtTheSameTimeComeInSendOrder() {
    QueueStore q = store.queue("jobs");
    for (int i = 0; i < 50; i++) {
      join(q.add(List.of(message("m" + i, T0, T0 + 5_000))));
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("m" + i);
    }
    assertThat(claimed(claim(q, 100, T0 + 5_000))).containsExactlyElementsOf(expected);
  }

  @Test
  void queuesAreIndependent() {
    QueueStore a = store.queue("a");
    QueueStore b = store.queue("b");
    send(a, "for a");
    send(b, "for b");
    assertThat(claimed(claim(a, 10, T0))).containsExactly("for a");
    assertThat(claimed(claim(b, 10, T0))).containsExactly("for b");
    assertThat(store.queue("a")).isSameAs(a);
  }

  // ---- settling ----

  @Test
  void deleteRemovesTheMessageForGood() {
    QueueStore q = store.queue("jobs");
    send(q, "a");
    Claim c = claim(q, 1, T0).get(0);
    assertThat(settle(q, new Settlement.Delete(c))).isEqualTo(SettleResult.APPLIED);
    assertThat(q.metrics()).isEqualTo(QueueMetrics.EMPTY);
    assertThat(claim(q, 10, T0 + 1_000_000)).isEmpty();
  }

  @Test
  void aRetryReturnsTheMessageBehindThoseAlreadyVisibleAndCountsAttempts() {
    QueueStore q = store.queue("jobs");
    send(q, "a", "b");
    Claim a = claim(q, 1, T0).get(0);
    settle(q, new Settlement.Retry(a, T0 + 1, true));
    List<Claim> next = claim(q, 10, T0 + 1);
    assertThat(claimed(next)).containsExactly("b", "a");
    assertThat(next.get(1).message().attempts()).isEqualTo(2);
  }

  @Test
  void aRetryWithADelayWaitsAndIsReportedAsTheNextVisible() {
    QueueStore q = store.queue("jobs");
    send(q, "a");
    Claim a = claim(q, 1, T0).get(0);
    settle(q, new Settlement.Retry(a, T0 + 60_000, true));
    ClaimResult early = join(q.claim(10, T0 + 59_999, LEASE));
    assertThat(early.claims()).isEmpty();
    assertThat(early.nextVisibleAt()).isEqualTo(T0 + 60_000);
    assertThat(claimed(claim(q, 10, T0 + 60_000))).containsExactly("a");
  }

  @Test
  void anUncountedRetryUndoesTheClaimsAttempt() {
    QueueStore q = store.queue("jobs");
    send(q, "a");
    Claim first = claim(q, 1, T0).get(0);
    settle(q, new Settlement.Retry(first, T0, true));
    Claim second = claim(q, 1, T0).get(0);
    assertThat(second.message().attempts()).isEqualTo(2);
    settle(q, new Settlement.Retry(second, T0, false)); // given back unstarted
    assertThat(claim(q, 1, T0).get(0).message().attempts()).isEqualTo(2);
  }

  @Test
  void aSettlementOfAnOldClaimIsStaleAndChangesNothing() {
    QueueStore q = store.queue("jobs");
    send(q, "a");
    Claim first = claim(q, 1, T0).get(0);
    settle(q, new Settlement.Retry(first, T0, true));
    Claim second = claim(q, 1, T0).get(0);
    SettleResult late = settle(q, new Settlement.Delete(first));
    assertThat(late.stale()).containsExactly(first);
    assertThat(q.metrics().backlogCount()).isEqualTo(1);
    assertThat(settle(q, new Settlement.Delete(second))).isEqualTo(SettleResult.APPLIED);
    assertThat(settle(q, new Settlement.Delete(second)).stale()).containsExactly(second);
    assertThat(q.metrics()).isEqualTo(QueueMetrics.EMPTY);
  }

  @Test
  void oneSettleCallAppliesEveryKindTogether() {
    QueueStore q = store.queue("jobs");
    QueueStore dlq = store.queue("jobs-dlq");
    send(q, "ack", "retry", "dead");
    List<Claim> c = claim(q, 3, T0);
    SettleResult result = settle(q,
        new Settlement.Delete(c.get(0)),
        new Settlement.Retry(c.get(1), T0 + 10, true),
        new Settlement.MoveTo(c.get(2), dlq, T0 + 5, 0));
    assertThat(result).isEqualTo(SettleResult.APPLIED);
    assertThat(q.metrics().backlogCount()).isEqualTo(1);
    assertThat(dlq.metrics().backlogCount()).isEqualTo(1);
    assertThat(claimed(claim(q, 10, T0 + 10))).containsExactly("retry");
  }

  // ---- dead letters ----

  @Test
  void aMoveKeepsIdTimestampAndBodyAndStartsAttemptsAgain() {
    QueueStore q = store.queue("jobs");
    QueueStore dlq = store.queue("jobs-dlq");
    join(q.add(List.of(message("poison", T0 - 5_000, T0 - 5_000))));
    Claim c = claim(q, 1, T0).get(0);
    settle(q, new Settlement.MoveTo(c, dlq, T0 + 7, 0));
    assertThat(q.metrics()).isEqualTo(QueueMetrics.EMPTY);
    assertThat(claim(dlq, 10, T0 + 6)).isEmpty();
    Claim moved = claim(dlq, 10, T0 + 7).get(0);
    assertThat(moved.message().id()).isEqualTo(c.message().id());
    assertThat(moved.message().timestamp()).isEqualTo(T0 - 5_000);
    assertThat(moved.message().body()).isEqualTo(c.message().body());
    assertThat(moved.message().attempts()).isEqualTo(1);
    assertThat(dlq.metrics()).isEqualTo(new QueueMetrics(1, 6, T0 - 5_000));
  }

  @Test
  void heldDeadLettersAreNotClaimedUntilReleased() {
    QueueStore q = store.queue("jobs");
    QueueStore dlq = store.queue("jobs-dlq");
    send(q, "x", "y");
    List<Claim> c = claim(q, 2, T0);
    settle(q, new Settlement.MoveTo(c.get(0), dlq, T0, 10),
        new Settlement.MoveTo(c.get(1), dlq, T0, 10));
    assertThat(claim(dlq, 10, T0 + 1_000)).isEmpty();
    assertThat(bodies(join(dlq.held(false)))).containsExactly("x", "y");
    assertThat(dlq.metrics().backlogCount()).isEqualTo(2);
    assertThat(join(dlq.releaseHeld(T0 + 2_000))).isEqualTo(2);
    assertThat(join(dlq.held(false))).isEmpty();
    assertThat(claimed(claim(dlq, 10, T0 + 2_000))).containsExactly("x", "y");
  }

  @Test
  void heldDeadLettersBeyondTheCapacityEvictTheOldest() {
    QueueStore q = store.queue("jobs");
    QueueStore dlq = store.queue("jobs-dlq");
    send(q, "1", "2", "3", "4", "5");
    List<Claim> c = claim(q, 5, T0);
    settle(q, new Settlement.MoveTo(c.get(0), dlq, T0, 3),
        new Settlement.MoveTo(c.get(1), dlq, T0, 3));
    SettleResult result = settle(q, new Settlement.MoveTo(c.get(2), dlq, T0, 3),
        new Settlement.MoveTo(c.get(3), dlq, T0, 3), new Settlement.MoveTo(c.get(4), dlq, T0, 3));
    assertThat(result.evicted()).hasSize(2)
        .allSatisfy(e -> assertThat(e.queue().name()).isEqualTo("jobs-dlq"));
    assertThat(bodies(result.evicted().stream().map(SettleResult.Eviction::message).toList()))
        .containsExactly("1", "2");
    assertThat(bodies(join(dlq.held(false)))).containsExactly("3", "4", "5");
    assertThat(dlq.metrics().backlogCount()).isEqualTo(3);
  }

  @Test
  void drainingHeldDeadLettersRemovesThem() {
    QueueStore q = store.queue("jobs");
    QueueStore dlq = store.queue("jobs-dlq");
    send(q, "x");
    settle(q, new Settlement.MoveTo(claim(q, 1, T0).get(0), dlq, T0, 10));
    assertThat(bodies(join(dlq.held(true)))).containsExactly("x");
    assertThat(join(dlq.held(false))).isEmpty();
    assertThat(dlq.metrics()).isEqualTo(QueueMetrics.EMPTY);
  }

  // ---- retention, purge, metrics ----

  @Test
  void expiryRemovesOldWaitingAndHeldMessagesButNotClaimedOnes() {
    QueueStore q = store.queue("jobs");
    QueueStore dlq = store.queue("jobs-dlq");
    join(q.add(List.of(message("old claimed", T0 - 9_000, T0 - 9_000))));
    Claim inFlight = claim(q, 1, T0).get(0);
    join(q.add(List.of(message("old ready", T0 - 8_000, T0 - 8_000),
        message("old delayed", T0 - 7_000, T0 + 100_000),
        message("young", T0 - 1_000, T0))));
    send(q, "to hold");
    settle(q, new Settlement.MoveTo(claim(q, 10, T0 - 7_500).get(0), dlq, T0, 10));
    List<StoredMessage> expired = join(q.expire(T0 - 2_000, 100));
    assertThat(bodies(expired)).containsExactly("old delayed");
    assertThat(bodies(join(dlq.expire(T0 - 2_000, 100)))).containsExactly("old ready");
    assertThat(q.metrics().backlogCount()).isEqualTo(3); // old claimed, young, to hold
    settle(q, new Settlement.Delete(inFlight));
    assertThat(q.metrics().oldestMessageTimestamp()).isEqualTo(T0 - 1_000);
  }

  @Test
  void expiryRemovesAtMostTheGivenNumberOldestFirst() {
    QueueStore q = store.queue("jobs");
    for (int i = 0; i < 10; i++) {
      join(q.add(List.of(message("m" + i, T0 - 10_000 + i, T0))));
    }
    assertThat(bodies(join(q.expire(T0, 4)))).containsExactly("m0", "m1", "m2", "m3");
    assertThat(q.metrics().backlogCount()).isEqualTo(6);
    assertThat(q.metrics().oldestMessageTimestamp()).isEqualTo(T0 - 10_000 + 4);
  }

  @Test
  void purgeRemovesEverythingButClaimedMessages() {
    QueueStore q = store.queue("jobs");
    send(q, "in flight", "waiting");
    join(q.add(List.of(message("delayed", T0, T0 + 60_000))));
    Claim c = claim(q, 1, T0).get(0);
    assertThat(join(q.purge())).isEqualTo(2);
    assertThat(q.metrics().backlogCount()).isEqualTo(1);
    assertThat(settle(q, new Settlement.Delete(c))).isEqualTo(SettleResult.APPLIED);
    assertThat(q.metrics()).isEqualTo(QueueMetrics.EMPTY);
  }

  @Test
  void metricsCountEveryMessageNotRemoved() {
    QueueStore q = store.queue("jobs");
    assertThat(q.metrics()).isEqualTo(QueueMetrics.EMPTY);
    join(q.add(List.of(message("abc", T0 - 3, T0), message("de", T0 - 7, T0 + 99_000))));
    assertThat(q.metrics()).isEqualTo(new QueueMetrics(2, 5, T0 - 7));
    assertThat(store.storedQueues()).containsEntry("jobs", new QueueMetrics(2, 5, T0 - 7));
    Claim c = claim(q, 1, T0).get(0);
    settle(q, new Settlement.Delete(c));
    assertThat(q.metrics()).isEqualTo(new QueueMetrics(1, 2, T0 - 7));
  }

  @Test
  void aMessageSentAtTheEpochCounts() {
    QueueStore q = store.queue("jobs");
    join(q.add(List.of(message("epoch", 0, 0))));
    assertThat(q.metrics()).isEqualTo(new QueueMetrics(1, 5, 0));
    assertThat(bodies(join(q.expire(1, 10)))).containsExactly("epoch");
  }

  @Test
  void aBatchOfAHundredIsAddedWhole() {
    QueueStore q = store.queue("jobs");
    List<StoredMessage> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch.add(message("m" + i, T0, T0));
    }
    join(q.add(batch));
    assertThat(q.metrics().backlogCount()).isEqualTo(100);
    assertThat(claim(q, 100, T0)).hasSize(100);
  }

  // ---- concurrency ----

  @Test
  void concurrentSendsClaimsAndSettlementsDeliverEveryMessageExactlyOnce() throws Exception {
    QueueStore q = store.queue("jobs");
    int producers = 4;
    int perProducer = 500;
    int total = producers * perProducer;
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicLong duplicates = new AtomicLong();
    AtomicLong settled = new AtomicLong();
    ExecutorService threads = Executors.newFixedThreadPool(producers + 3);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> work = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int producer = p;
        work.add(threads.submit(() -> {
          start.await();
          for (int i = 0; i < perProducer; i += 5) {
            List<StoredMessage> batch = new ArrayList<>();
            for (int j = i; j < i + 5; j++) {
              batch.add(message(producer + "-" + j, T0, T0));
            }
            join(q.add(batch));
          }
          return null;
        }));
      }
      for (int c = 0; c < 3; c++) {
        work.add(threads.submit(() -> {
          start.await();
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (settled.get() < total && System.nanoTime() < deadline) {
            List<Claim> claims = claim(q, 7, T0);
            List<Settlement> settlements = new ArrayList<>();
            for (Claim claim : claims) {
              String body = new String(claim.message().body(), StandardCharsets.UTF_8);
              if (claim.message().attempts() == 1 && body.hashCode() % 3 == 0) {
                settlements.add(new Settlement.Retry(claim, T0, true)); // once more, later
              } else {
                if (!seen.add(body)) {
                  duplicates.incrementAndGet();
                }
                settlements.add(new Settlement.Delete(claim));
              }
            }
            if (!settlements.isEmpty()) {
              SettleResult r = join(q.settle(settlements));
              assertThat(r.stale()).isEmpty();
              settled.addAndGet(settlements.stream()
                  .filter(s -> s instanceof Settlement.Delete).count());
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : work) {
        f.get(90, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(duplicates).hasValue(0);
    assertThat(seen).hasSize(total);
    assertThat(q.metrics()).isEqualTo(QueueMetrics.EMPTY);
  }

  /**
   * Returns the held dead letters' bodies of a queue, for subclasses' own tests.
   *
   * @param queue the queue
   * @return the bodies, oldest first
   */
  protected static List<String> heldBodies(QueueStore queue) {
    return bodies(join(queue.held(false)));
  }

  /**
   * Returns the claim of the message with the given body among {@code claims}.
   *
   * @param claims claims
   * @param body a body
   * @return the claim
   * @throws AssertionError if there is none
   */
  protected static Claim find(List<Claim> claims, String body) {
    for (Claim c : claims) {
      if (new String(c.message().body(), StandardCharsets.UTF_8).equals(body)) {
        return c;
      }
    }
    throw new AssertionError("no claim of a message '" + body + "' among " + claimed(claims));
  }
}
