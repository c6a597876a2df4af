package io.queues4j.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Queue;
import io.queues4j.QueueContentType;
import io.queues4j.core.QueueEngine;
import io.queues4j.spi.ClaimResult;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.StoredMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Group commit: many callers, few transactions; stages complete after the commit, in order. */
class GroupCommitTest {

  @Test
  void sixtyFourSendingThreadsShareCommits() throws Exception {
    Path file = TempDatabases.fresh("group");
    int threads = 64;
    int perThread = 40;
    SqliteStore store = SqliteStore.open(file);
    try (QueueEngine engine = QueueEngine.builder().store(store).build()) {
      engine.declareQueue("jobs");
      Queue<String> jobs = engine.queue("jobs");
      long commitsBefore = store.writer().commits();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Thread sender = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < perThread; i++) {
              jobs.send(thread + "-" + i).join();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        sender.start();
        senders.add(sender);
      }
      start.countDown();
      for (Thread sender : senders) {
        sender.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(sender.isAlive()).isFalse();
      }
      long commits = store.writer().commits() - commitsBefore;
      int sends = threads * perThread;
      assertThat(engine.stats("jobs").metrics().backlogCount()).isEqualTo(sends);
      assertThat(commits).as("transactions for %s sends", sends).isLessThan(sends / 2);
    }
    try (SqliteStore reopened = SqliteStore.open(file)) {
      assertThat(reopened.queue("jobs").metrics().backlogCount()).isEqualTo((long) threads * perThread);
    }
  }

  @Test
  void stagesCompleteOnTheCompletionThreadInSubmissionOrder() throws Exception {
    try (SqliteStore store = SqliteStore.open(TempDatabases.fresh("order"))) {
      QueueStore q = store.queue("jobs");
      List<Integer> completed = new java.util.concurrent.CopyOnWriteArrayList<>();
      Set<String> threads = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Void>> stages = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        stages.add(q.add(List.of(message(i))).toCompletableFuture().whenComplete((ok, e) -> {
          completed.add(n);
          threads.add(Thread.currentThread().getName());
        }));
      }
      CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      assertThat(completed).isSorted().hasSize(200);
      // a callback attached after its stage completed runs on this thread; none runs on the writer
      assertThat(threads).contains("queues4j-sqlite-complete")
          .isSubsetOf("queues4j-sqlite-complete", Thread.currentThread().getName());
      assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
          .contains("queues4j-sqlite-writer");
    }
    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
        .doesNotContain("queues4j-sqlite-writer");
  }

  @Test
  void anOperationSeesEveryOperationSubmittedBeforeItEvenInTheSameTransaction() {
    try (SqliteStore store = SqliteStore.open(TempDatabases.fresh("same-txn"))) {
      QueueStore q = store.queue("jobs");
      for (int round = 0; round < 50; round++) {
        CompletableFuture<Void> added = q.add(List.of(message(round))).toCompletableFuture();
        CompletableFuture<ClaimResult> claimed =
            q.claim(10, 2_000, 3_000).toCompletableFuture(); // not waiting for the add
        assertThat(claimed.join().claims()).hasSize(1);
        assertThat(added).isCompleted();
      }
    }
  }

  @Test
  void withFullDurabilitySendsAreSyncedAndClaimsAloneAreNot() {
    try (SqliteStore store = SqliteStore.open(TempDatabases.fresh("synced"))) {
      QueueStore q = store.queue("jobs");
      q.add(List.of(message(1))).toCompletableFuture().join();
      assertThat(store.writer().lastCommitSynced()).as("after a send").isTrue();
      q.claim(1, 2_000, 3_000).toCompletableFuture().join();
      assertThat(store.writer().lastCommitSynced()).as("after a claim alone").isFalse();
    }
    try (SqliteStore store = SqliteStore.builder(TempDatabases.fresh("normal"))
        .durability(SqliteStore.Durability.NORMAL).open()) {
      store.queue("jobs").add(List.of(message(1))).toCompletableFuture().join();
      assertThat(store.writer().lastCommitSynced()).as("NORMAL never waits").isFalse();
    }
  }

  private static StoredMessage message(int n) {
    return StoredMessage.of(7, n, 1_000, ("m" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8),
        QueueContentType.TEXT, 1_000, 0);
  }
}
