package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueClosedException;
import io.queues4j.QueueContentType;
import io.queues4j.QueueSendOptions;
import io.queues4j.QueueSendResult;
import io.queues4j.StorageLimitExceededException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 7: backlog limits, waiting for room, retention; all on virtual time. */
class BacklogAndRetentionTest {
  private static final QueueSendOptions TEXT = QueueSendOptions.contentType(QueueContentType.TEXT);
  private final EngineFixture fx = new EngineFixture();

  @AfterEach
  void close() {
    fx.close();
  }


  @Test
  void aSendIsRefusedExactlyPastTheQueuesByteLimit() {
    fx.engine.declareQueue("q", QueueSettings.builder().maxBacklogBytes(10).build());
    Queue<String> q = fx.engine.queue("q");
    assertThat(q.send("12345", TEXT)).isCompleted();
    assertThat(q.send("12345", TEXT)).isCompleted(); // exactly at the limit
    Throwable refused = EngineFixture.failure(q.send("1", TEXT));
    assertThat(refused)
        .isInstanceOf(StorageLimitExceededException.class)
        .hasMessageContaining("Storage Limit Exceeded")
        .hasMessageContaining("queue 'q' backlog of 10 bytes plus 1 would exceed its limit of 10");
    StorageLimitExceededException e = (StorageLimitExceededException) refused;
    assertThat(e.limit()).isEqualTo(10);
    assertThat(e.backlog()).isEqualTo(10);
    QueueStats stats = fx.engine.stats("q");
    assertThat(stats.metrics().backlogCount()).isEqualTo(2);
    assertThat(stats.refusedSends()).isEqualTo(1);
    assertThat(stats.maxBacklogBytes()).isEqualTo(10);
  }

  @Test
  void aBatchThatWouldCrossTheMessageLimitEnqueuesNothing() {
    fx.engine.declareQueue("q", QueueSettings.builder().maxBacklogMessages(3).build());
    Queue<String> q = fx.engine.queue("q");
    q.send("a").join();
    Throwable refused =
        EngineFixture.failure(q.sendBatch(List.of(MessageSendRequest.of("b"), MessageSendRequest.of("c"),
            MessageSendRequest.of("d"))));
    assertThat(refused).hasMessageContaining("limit of 3 messages");
    assertThat(q.metrics().join().backlogCount()).isEqualTo(1);
  }

  @Test
  void theEngineBudgetIsSharedByEveryQueue() {
    long oneMessage = 1 + BacklogBudget.OVERHEAD_PER_MESSAGE;
    try (EngineFixture small = new EngineFixture(QueueLimits.cloudflare(), 2 * oneMessage)) {
      Queue<String> a = small.declare("a");
      Queue<String> b = small.declare("b");
      a.send("x", TEXT).join();
      b.send("y", TEXT).join();
      assertThat(small.engine.backlogMemoryUsed()).isEqualTo(2 * oneMessage);
      assertThat(EngineFixture.failure(a.send("z", TEXT)))
          .isInstanceOf(StorageLimitExceededException.class)
          .hasMessageContaining("engine backlog of " + 2 * oneMessage + " heap bytes");
      small.consume("b", ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).build(),
          (batch, ctx) -> {});
      small.time.runUntilIdle();
      assertThat(a.send("z", TEXT)).isCompleted();
    }
  }

  @Test
  void waitingSendsAreAcceptedInOrderAsTheConsumerDrains() {
    fx.engine.declareQueue("q", QueueSettings.builder().maxBacklogMessages(2).build());
    Queue<String> waiting = fx.engine.queue("q", Duration.ofSeconds(30));
    List<CompletableFuture<QueueSendResult>> sends = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sends.add(waiting.send("m" + i));
    }
    assertThat(sends.subList(0, 2)).allMatch(CompletableFuture::isDone);
    assertThat(sends.subList(2, 5)).noneMatch(CompletableFuture::isDone);
    assertThat(fx.engine.stats("q").waitingSends()).isEqualTo(3);
    Queue<String> failFast = fx.engine.queue("q");
    assertThat(EngineFixture.failure(failFast.send("impatient"))).isInstanceOf(StorageLimitExceededException.class);

    fx.consume("q", ConsumerSettings.builder().maxBatchSize(1).maxConcurrency(1)
        .maxBatchTimeout(Duration.ZERO).build(), (batch, ctx) -> {});
    fx.time.runUntilIdle();
    assertThat(sends).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(fx.allBodies()).containsExactly("m0", "m1", "m2", "m3", "m4");
    assertThat(fx.engine.stats("q").waitingSends()).isZero();
  }

  @Test
  void aWaitingSendFailsWhenItsWaitEnds() {
    fx.engine.declareQueue("q", QueueSettings.builder().maxBacklogMessages(1).build());
    Queue<String> waiting = fx.engine.queue("q", Duration.ofSeconds(10));
    waiting.send("fits").join();
    CompletableFuture<QueueSendResult> late = waiting.send("waits");
    fx.time.advance(Duration.ofMillis(9_999));
    assertThat(late).isNotDone();
    fx.time.advance(Duration.ofMillis(1));
    assertThat(EngineFixture.failure(late))
        .isInstanceOf(StorageLimitExceededException.class)
        .hasMessageContaining("no room was made");
    assertThat(fx.engine.stats("q").refusedSends()).isEqualTo(1);
    assertThat(fx.engine.stats("q").metrics().backlogCount()).isEqualTo(1);
  }

  @Test
  void closingFailsWaitingSends() {
    fx.engine.declareQueue("q", QueueSettings.builder().maxBacklogMessages(1).build());
    Queue<String> waiting = fx.engine.queue("q", Duration.ofSeconds(10));
    waiting.send("fits").join();
    CompletableFuture<QueueSendResult> pending = waiting.send("waits");
    fx.engine.shutdown(Duration.ZERO);
    assertThat(EngineFixture.failure(pending)).isInstanceOf(QueueClosedException.class);
  }

  @Test
  void retentionRemovesAMessageOneSecondPastItsBoundaryNotAtIt() {
    fx.engine.declareQueue("q",
        QueueSettings.builder().retentionPeriod(Duration.ofSeconds(60)).build());
    Queue<String> q = fx.engine.queue("q");
    q.send("old").join();
    fx.time.advance(Duration.ofSeconds(30));
    q.send("young").join();
    fx.time.advance(Duration.ofSeconds(30)); // "old" is exactly 60 s old
    assertThat(q.metrics().join().backlogCount()).isEqualTo(2);
    fx.time.advance(Duration.ofSeconds(1));
    assertThat(q.metrics().join().backlogCount()).isEqualTo(1);
    QueueStats stats = fx.engine.stats("q");
    assertThat(stats.expired()).isEqualTo(1);
    assertThat(stats.metrics().oldestMessageTimestamp())
        .isEqualTo(fx.time.millis() - 31_000);
    assertThat(fx.events(QueueEvent.Expired.class)).hasSize(1);
    fx.time.advance(Duration.ofSeconds(30));
    assertThat(q.metrics().join().backlogCount()).isZero();
    assertThat(fx.engine.backlogMemoryUsed()).isZero();
  }

  @Test
  void aMessageRetriedPastItsRetentionExpiresInsteadOfComingBack() {
    fx.engine.declareQueue("q",
        QueueSettings.builder().retentionPeriod(Duration.ofSeconds(60)).build());
    fx.consume("q", ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).maxRetries(100)
        .retryDelay(Duration.ofSeconds(25)).build(), (batch, ctx) -> {
          throw new IllegalStateException("never works");
        });
    fx.engine.<String>queue("q").send("doomed").join();
    fx.time.advance(Duration.ofMinutes(5));
    assertThat(fx.batches).hasSize(3); // at 0, 25 and 50 s; at 75 s it is past retention
    assertThat(fx.engine.stats("q").expired()).isEqualTo(1);
    assertThat(fx.engine.stats("q").metrics().backlogCount()).isZero();
  }

  @Test
  void settingsRejectOutOfRangeLimitsAndRetention() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> QueueSettings.builder().retentionPeriod(Duration.ofSeconds(59)))
        .hasMessageContaining("PT59S");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> QueueSettings.builder().retentionPeriod(Duration.ofDays(15)))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> QueueSettings.builder().maxBacklogBytes(0))
        .hasMessageContaining("but was 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> fx.engine.queue("nope", Duration.ofSeconds(1)))
        .isInstanceOf(io.queues4j.QueueNotFoundException.class);
    fx.engine.declareQueue("q");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> fx.engine.queue("q", Duration.ZERO))
        .hasMessageContaining("maxWaitForRoom must be positive but was PT0S");
  }
}
