package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.Message;
import io.queues4j.Queue;
import io.queues4j.QueueClosedException;
import io.queues4j.QueueMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** maxConcurrency, handler timeouts, metrics and close(), on virtual time. */
class ConcurrencyTimeoutAndCloseTest {
  private final EngineFixture fx = new EngineFixture();
  private final Queue<String> queue = fx.declare("q");
  private final List<CompletableFuture<Void>> stages = new ArrayList<>();

  @AfterEach
  void close() {
    fx.close();
  }

  /** A consumer whose every invocation stays open until its stage is completed by the test. */
  private void consumeHolding(ConsumerSettings settings) {
    fx.consume("q", settings, (batch, ctx) -> {
      CompletableFuture<Void> stage = new CompletableFuture<>();
      stages.add(stage);
      ctx.waitUntil(stage);
    });
  }

  @Test
  void noMoreThanMaxConcurrencyInvocationsRunAtOnce() {
    consumeHolding(ConsumerSettings.builder().maxBatchSize(1).maxBatchTimeout(Duration.ZERO)
        .maxConcurrency(2).build());
    for (int i = 0; i < 5; i++) {
      queue.send("m" + i).join();
    }
    fx.time.runUntilIdle();
    assertThat(stages).hasSize(2);
    assertThat(fx.engine.stats("q").inFlightBatches()).isEqualTo(2);
    stages.get(0).complete(null);
    fx.time.runUntilIdle();
    assertThat(stages).hasSize(3);
    stages.forEach(s -> s.complete(null));
    fx.time.runUntilIdle();
    stages.forEach(s -> s.complete(null));
    fx.time.runUntilIdle();
    assertThat(fx.allBodies()).containsExactly("m0", "m1", "m2", "m3", "m4");
    assertThat(fx.engine.stats("q").acked()).isEqualTo(5);
  }

  @Test
  void anInvocationStillRunningAtTheHandlerTimeoutFailsAndLateMarksAreIgnored() {
    List<Message<String>> held = new ArrayList<>();
    fx.consume("q", ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO)
        .handlerTimeout(Duration.ofSeconds(30)).maxRetries(1).build(), (batch, ctx) -> {
          held.addAll(batch.messages());
          ctx.waitUntil(new CompletableFuture<Void>()); // never completes
        });
    queue.send("slow").join();
    fx.time.advance(Duration.ofMillis(29_999));
    assertThat(fx.engine.stats("q").inFlightBatches()).isEqualTo(1);
    fx.time.advance(Duration.ofMillis(1));
    assertThat(fx.batches).hasSize(2); // retried at once (retryDelay 0) and delivered again
    assertThat(fx.events(QueueEvent.Failed.class, QueueEvent.Failed::cause))
        .first().isInstanceOf(TimeoutException.class);
    held.get(0).ack(); // too late: the first invocation has ended
    fx.time.advance(Duration.ofSeconds(30));
    assertThat(fx.engine.stats("q").dropped()).isEqualTo(1);
    assertThat(fx.engine.stats("q").acked()).isZero();
  }

  @Test
  void noTimerOutlivesTheWork() {
    fx.consume("q", ConsumerSettings.defaults(), (batch, ctx) -> {});
    queue.send("x").join();
    fx.time.advance(Duration.ofSeconds(5));
    assertThat(fx.engine.stats("q").acked()).isEqualTo(1);
    assertThat(fx.time.pendingTimers()).isZero(); // not even the handler deadline's
  }

  @Test
  void metricsCountEveryMessageNotYetSettled() {
    consumeHolding(ConsumerSettings.builder().maxBatchSize(2).maxBatchTimeout(Duration.ZERO)
        .maxConcurrency(1).build());
    assertThat(queue.metrics().join()).isEqualTo(QueueMetrics.EMPTY);
    long t0 = fx.time.millis();
    queue.send("aa").join();
    fx.time.advance(Duration.ofSeconds(1));
    queue.send("bbb").join();
    queue.send("c").join();
    fx.time.runUntilIdle();
    // "aa" is in flight, "bbb" and "c" wait: all three count
    assertThat(queue.metrics().join()).isEqualTo(new QueueMetrics(3, 4 + 5 + 3, t0));
    stages.get(0).complete(null);
    fx.time.runUntilIdle();
    assertThat(queue.metrics().join()).isEqualTo(new QueueMetrics(2, 5 + 3, t0 + 1_000));
    stages.get(1).complete(null);
    fx.time.runUntilIdle();
    assertThat(queue.metrics().join()).isEqualTo(QueueMetrics.EMPTY);
  }

  @Test
  void aBatchCarriesTheMetricsAtDelivery() {
    List<QueueMetrics> seen = new ArrayList<>();
    fx.consume("q", ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).build(),
        (batch, ctx) -> seen.add(batch.metadata().metrics()));
    queue.send("x").join();
    fx.time.runUntilIdle();
    assertThat(seen).singleElement().satisfies(m -> assertThat(m.backlogCount()).isEqualTo(1));
  }

  @Test
  void closeRefusesSendsAndReportsWhatWasNotDelivered() {
    consumeHolding(ConsumerSettings.builder().maxBatchSize(1).maxBatchTimeout(Duration.ZERO)
        .maxConcurrency(1).build());
    queue.send("in flight").join();
    queue.send("queued").join();
    fx.time.runUntilIdle();
    ShutdownReport report = fx.engine.shutdown(Duration.ZERO);
    assertThat(report.undeliveredByQueue()).containsEntry("q", 2L);
    assertThat(report.abandonedInvocations()).isEqualTo(1);
    assertThat(report.clean()).isFalse();
    assertThatThrownBy(() -> queue.send("after").join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(QueueClosedException.class)
        .hasMessageContaining("closed");
    assertThat(fx.engine.shutdown(Duration.ZERO)).isSameAs(report);
  }

  @Test
  void closeAfterEverythingIsDeliveredIsClean() {
    fx.consume("q", ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).build(),
        (b, c) -> {});
    queue.send("x").join();
    fx.time.runUntilIdle();
    assertThat(fx.engine.shutdown(Duration.ZERO).clean()).isTrue();
  }

  @Test
  void realThreadsStopOnClose() throws Exception {
    QueueEngine engine = TestStores.engine().build();
    engine.declareQueue("live");
    CompletableFuture<String> got = new CompletableFuture<>();
    engine.consume("live", String.class,
        ConsumerSettings.builder().maxBatchTimeout(Duration.ofMillis(10)).build(),
        (batch, ctx) -> got.complete(Thread.currentThread().getName()));
    engine.<String>queue("live").send("hello").join();
    assertThat(got.get(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("queues4j-delivery-");
    assertThat(engine.shutdown(Duration.ofSeconds(5)).clean()).isTrue();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.isAlive() && t.getName().startsWith("queues4j-")
            && !t.getName().equals(Thread.currentThread().getName()));
  }
}
