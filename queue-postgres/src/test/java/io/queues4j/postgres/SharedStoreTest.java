package io.queues4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.queues4j.QueueContentType;
import io.queues4j.QueueMetrics;
import io.queues4j.spi.Claim;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.SettleResult;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two stores on one schema, as two engines (or two JVMs) would have: what they share. */
class SharedStoreTest {
  private static final long T0 = 1_767_225_600_000L;
  private final AtomicLong ids = new AtomicLong();
  private PostgresStore a;
  private PostgresStore b;

  @BeforeEach
  void open() {
    String schema = TestDatabase.freshSchema();
    a = PostgresStore.builder(TestDatabase.dataSource()).schema(schema).build();
    b = PostgresStore.builder(TestDatabase.dataSource()).schema(schema).build();
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private StoredMessage message(String body, long visibleAt) {
    return StoredMessage.of(7, ids.incrementAndGet(), T0, body.getBytes(StandardCharsets.UTF_8),
        QueueContentType.TEXT, visibleAt, 0);
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private static String body(Claim c) {
    return new String(c.message().body(), StandardCharsets.UTF_8);
  }

  @Test
  void claimsOfTwoStoresNeverOverlapAndTogetherTakeEveryMessage() throws Exception {
    QueueStore qa = a.queue("jobs");
    QueueStore qb = b.queue("jobs");
    int total = 2_000;
    for (int i = 0; i < total; i += 100) {
      List<StoredMessage> batch = new ArrayList<>();
      for (int j = i; j < i + 100; j++) {
        batch.add(message("m" + j, T0));
      }
      join((i / 100 % 2 == 0 ? qa : qb).add(batch));
    }
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger settled = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (QueueStore q : List.of(qa, qb, qa, qb)) {
        work.add(threads.submit(() -> {
          while (settled.get() < total) {
            List<Claim> claims = join(q.claim(25, T0, T0 + 60_000)).claims();
            List<Settlement> done = new ArrayList<>();
            for (Claim c : claims) {
              if (!seen.add(body(c))) {
                duplicates.incrementAndGet();
              }
              done.add(new Settlement.Delete(c));
            }
            if (!done.isEmpty()) {
              assertThat(join(q.settle(done)).stale()).isEmpty();
              settled.addAndGet(done.size());
            }
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(duplicates).hasValue(0);
    assertThat(seen).hasSize(total);
    // each store saw the other's deletes only through its refresh
    await().atMost(Duration.ofSeconds(10)).until(() -> qa.metrics().equals(QueueMetrics.EMPTY)
        && qb.metrics().equals(QueueMetrics.EMPTY));
  }

  @Test
  void aClaimWhoseLeaseEndedIsClaimedAgainAndItsLateSettlementIsStale() {
    QueueStore qa = a.queue("jobs");
    QueueStore qb = b.queue("jobs");
    join(qa.add(List.of(message("slow", T0))));
    Claim first = join(qa.claim(10, T0, T0 + 1_000)).claims().get(0);
    assertThat(first.message().attempts()).isEqualTo(1);

    ClaimResult during = join(qb.claim(10, T0 + 999, T0 + 60_000));
    assertThat(during.claims()).as("exclusive while the lease lasts").isEmpty();

    List<Claim> again = join(qb.claim(10, T0 + 1_000, T0 + 60_000)).claims();
    assertThat(again).hasSize(1);
    Claim second = again.get(0);
    assertThat(second.message().id()).isEqualTo(first.message().id());
    assertThat(second.message().attempts()).as("the expired delivery counts").isEqualTo(2);
    assertThat(second.lease()).isNotEqualTo(first.lease());

    SettleResult late = join(qa.settle(List.of(new Settlement.Delete(first))));
    assertThat(late.stale()).containsExactly(first);
    assertThat(join(qb.settle(List.of(new Settlement.Retry(second, T0 + 5_000, true)))))
        .isEqualTo(SettleResult.APPLIED);
    assertThat(join(qa.settle(List.of(new Settlement.Delete(first)))).stale())
        .as("still stale once the message waits again").containsExactly(first);
    Claim third = join(qa.claim(10, T0 + 5_000, T0 + 60_000)).claims().get(0);
    assertThat(third.message().attempts()).isEqualTo(3);
  }

  @Test
  void anAddOnOneStoreWakesTheOtherByNotification() throws Exception {
    QueueStore qa = a.queue("jobs");
    QueueStore qb = b.queue("jobs");
    CountDownLatch woken = new CountDownLatch(1);
    AtomicInteger ownWakeUps = new AtomicInteger();
    qb.subscribe(woken::countDown);
    // the listener's first connection wakes every queue once: let that pass before counting
    await().atMost(Duration.ofSeconds(10)).until(() -> a.listening() && b.listening());
    qa.subscribe(ownWakeUps::incrementAndGet);
    long sent = System.nanoTime();
    // delayed by an hour: no poll finds it ready, so only the notification can wake b
    join(qa.add(List.of(message("later", System.currentTimeMillis() + 3_600_000))));
    assertThat(woken.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isLessThan(2_000);
    assertThat(ownWakeUps).as("a store ignores its own notifications").hasValue(0);
  }

  @Test
  void aPollFindsMessagesWhoseLeaseEndedWithoutAnyNotification() throws Exception {
    QueueStore qa = a.queue("jobs");
    QueueStore qb = b.queue("jobs");
    long now = System.currentTimeMillis();
    join(qa.add(List.of(message("orphan", now))));
    join(qa.claim(1, now, now + 500)); // a claim that nobody settles: its process "died"
    CountDownLatch woken = new CountDownLatch(1);
    qb.subscribe(() -> {
      if (System.currentTimeMillis() >= now + 500) { // not the add's own notification
        woken.countDown();
      }
    });
    assertThat(woken.await(10, TimeUnit.SECONDS)).isTrue();
    List<Claim> recovered = join(qb.claim(10, System.currentTimeMillis(), now + 60_000)).claims();
    assertThat(recovered).hasSize(1);
    assertThat(recovered.get(0).message().attempts()).isEqualTo(2);
  }

  @Test
  void metricsOfOneStoreCatchUpWithTheOthersWork() {
    QueueStore qa = a.queue("jobs");
    QueueStore qb = b.queue("jobs");
    join(qa.add(List.of(message("abc", T0), message("de", T0))));
    assertThat(qa.metrics()).isEqualTo(new QueueMetrics(2, 5, T0));
    await().atMost(Duration.ofSeconds(5))
        .until(() -> qb.metrics().equals(new QueueMetrics(2, 5, T0)));
    assertThat(b.storedQueues()).containsEntry("jobs", new QueueMetrics(2, 5, T0));
  }

  @Test
  void closingGivesBackTheClaimsItHolds() {
    QueueStore qa = a.queue("jobs");
    QueueStore qb = b.queue("jobs");
    join(qa.add(List.of(message("x", T0))));
    assertThat(join(qa.claim(1, T0, T0 + 3_600_000)).claims()).hasSize(1);
    a.close();
    List<Claim> claims = join(qb.claim(1, T0, T0 + 60_000)).claims();
    assertThat(claims).hasSize(1);
    assertThat(claims.get(0).message().attempts()).isEqualTo(2);
  }
}
