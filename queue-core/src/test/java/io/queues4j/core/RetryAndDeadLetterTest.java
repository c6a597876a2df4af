package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.Message;
import io.queues4j.Queue;
import io.queues4j.QueueHandler;
import io.queues4j.QueueResult;
import io.queues4j.QueueRetryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BEHAVIOUR.md: attempts, maxRetries, retry delays, dead letters and drops. */
class RetryAndDeadLetterTest {
  private final EngineFixture fx = new EngineFixture();
  private final Queue<String> queue = fx.declare("q");

  @AfterEach
  void close() {
    fx.close();
  }

  private static ConsumerSettings.Builder immediate() {
    return ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO);
  }

  private static void fail(io.queues4j.MessageBatch<String> batch, io.queues4j.QueueContext ctx) {
    throw new IllegalStateException("always fails");
  }

  @Test
  void maxRetriesNMeansNPlusOneDeliveriesThenTheDeadLetterQueue() {
    fx.consume("q", immediate().maxRetries(2).deadLetterQueue("dlq").build(),
        RetryAndDeadLetterTest::fail);
    String id = fx.engine.<String>queue("q").send("poison").thenApply(r -> "").join();
    fx.time.advance(Duration.ofMinutes(1));
    assertThat(fx.batches).extracting(b -> b.get(0).attempts()).containsExactly(1, 2, 3);
    QueueStats stats = fx.engine.stats("q");
    assertThat(stats.deadLettered()).isEqualTo(1);
    assertThat(stats.retried()).isEqualTo(2);
    assertThat(stats.metrics().backlogCount()).isZero();
    assertThat(fx.engine.deadLetters("dlq")).singleElement()
        .satisfies(d -> assertThat(d.body(String.class)).isEqualTo("poison"));
    assertThat(id).isEmpty();
  }

  @Test
  void withoutADeadLetterQueueTheMessageIsDroppedAndCounted() {
    fx.consume("q", immediate().maxRetries(0).build(), RetryAndDeadLetterTest::fail);
    queue.send("x").join();
    fx.time.advance(Duration.ofMinutes(1));
    assertThat(fx.batches).hasSize(1);
    assertThat(fx.engine.stats("q").dropped()).isEqualTo(1);
    assertThat(fx.events(QueueEvent.Dropped.class, QueueEvent.Dropped::attempts)).containsExactly(1);
  }

  @Test
  void aDeadLetterKeepsIdTimestampAndBodyAndStartsAgainAtAttemptOne() {
    fx.consume("q", immediate().maxRetries(1).deadLetterQueue("dlq").build(),
        RetryAndDeadLetterTest::fail);
    List<Message<String>> dead = new ArrayList<>();
    fx.engine.consume("dlq", String.class, immediate().build(),
        (batch, ctx) -> dead.addAll(batch.messages()));
    long sentAt = fx.time.millis();
    queue.send("poison").join();
    fx.time.advance(Duration.ofSeconds(30));
    String originalId = fx.batches.get(0).get(0).id();
    assertThat(dead).singleElement().satisfies(m -> {
      assertThat(m.id()).isEqualTo(originalId).matches("[0-9a-f]{32}");
      assertThat(m.timestamp().toEpochMilli()).isEqualTo(sentAt);
      assertThat(m.body()).isEqualTo("poison");
      assertThat(m.attempts()).isEqualTo(1);
    });
    assertThat(fx.engine.stats("dlq").deadLettersReceived()).isEqualTo(1);
  }

  @Test
  void retryDelayAppliesUnlessTheRetryNamesItsOwnAndZeroIsExplicit() {
    List<QueueRetryOptions> plan =
        new ArrayList<>(List.of(QueueRetryOptions.DEFAULT, QueueRetryOptions.delaySeconds(0),
            QueueRetryOptions.delaySeconds(3)));
    fx.consume("q", immediate().maxRetries(5).retryDelay(Duration.ofSeconds(10)).build(),
        (batch, ctx) -> {
          if (!plan.isEmpty()) {
            batch.messages().get(0).retry(plan.remove(0));
          }
        });
    queue.send("x").join();
    fx.time.runUntilIdle();
    fx.time.advance(Duration.ofMillis(9_999));
    assertThat(fx.batches).hasSize(1);
    fx.time.advance(Duration.ofMillis(1)); // retryDelay 10 s, then explicit 0: immediate
    assertThat(fx.batches).hasSize(3);
    fx.time.advance(Duration.ofSeconds(3));
    assertThat(fx.batches).hasSize(4);
    assertThat(fx.events(QueueEvent.Retried.class, QueueEvent.Retried::delay))
        .containsExactly(Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(3));
  }

  @Test
  void aThrowUsesTheConsumersRetryDelay() {
    fx.consume("q", immediate().maxRetries(1).retryDelay(Duration.ofSeconds(7)).build(),
        RetryAndDeadLetterTest::fail);
    queue.send("x").join();
    fx.time.advance(Duration.ofSeconds(6));
    assertThat(fx.batches).hasSize(1);
    fx.time.advance(Duration.ofSeconds(1));
    assertThat(fx.batches).hasSize(2);
  }

  @Test
  void exponentialBackoffIsCappedAtTheDelayLimit() {
    assertThat(QueueRetryOptions.exponentialBackoff(30, 1).delaySeconds()).hasValue(30);
    assertThat(QueueRetryOptions.exponentialBackoff(30, 3).delaySeconds()).hasValue(27_000);
    assertThat(QueueRetryOptions.exponentialBackoff(30, 4).delaySeconds()).hasValue(86_400);
    assertThat(QueueRetryOptions.exponentialBackoff(30, 100).delaySeconds()).hasValue(86_400);
  }

  @Test
  void aQueueWithoutConsumerKeepsABoundedRingOfTheNewestDeadLetters() {
    fx.engine.declareQueue("dlq", QueueSettings.builder().deadLetterCapacity(3).build());
    fx.consume("q", immediate().maxRetries(0).maxBatchSize(1).deadLetterQueue("dlq").build(),
        RetryAndDeadLetterTest::fail);
    for (int i = 0; i < 5; i++) {
      queue.send("p" + i).join();
    }
    fx.time.advance(Duration.ofSeconds(1));
    assertThat(fx.engine.deadLetters("dlq")).extracting(d -> d.body(String.class))
        .containsExactly("p2", "p3", "p4");
    QueueStats dlq = fx.engine.stats("dlq");
    assertThat(dlq.deadLettersEvicted()).isEqualTo(2);
    assertThat(dlq.metrics().backlogCount()).isEqualTo(3);
    assertThat(fx.events(QueueEvent.DeadLetterEvicted.class)).hasSize(2);

    assertThat(fx.engine.drainDeadLetters("dlq")).hasSize(3);
    assertThat(fx.engine.deadLetters("dlq")).isEmpty();
    assertThat(fx.engine.stats("dlq").metrics().backlogCount()).isZero();
  }

  @Test
  void heldDeadLettersAreDeliveredOnceAConsumerIsAttached() {
    fx.consume("q", immediate().maxRetries(0).deadLetterQueue("dlq").build(),
        RetryAndDeadLetterTest::fail);
    queue.send("late").join();
    fx.time.runUntilIdle();
    List<String> seen = new ArrayList<>();
    fx.engine.consume("dlq", String.class, immediate().build(),
        (batch, ctx) -> batch.messages().forEach(m -> seen.add(m.body())));
    fx.time.runUntilIdle();
    assertThat(seen).containsExactly("late");
    assertThat(fx.engine.deadLetters("dlq")).isEmpty();
  }

  record Job(int n) {}

  @Test
  void aBodyThatCannotBeDecodedIsRetriedThenDeadLetteredAndNeverSeen() {
    List<Integer> seen = new ArrayList<>();
    fx.engine.consume("q", Job.class, immediate().maxRetries(1).deadLetterQueue("dlq").build(),
        (batch, ctx) -> batch.messages().forEach(m -> seen.add(m.body().n())));
    Queue<Object> raw = fx.engine.queue("q");
    raw.send(new Job(1)).join();
    raw.send("not a job").join();
    fx.time.advance(Duration.ofMinutes(1));
    assertThat(seen).containsExactly(1);
    assertThat(fx.engine.deadLetters("dlq")).singleElement()
        .satisfies(d -> assertThat(d.body(String.class)).isEqualTo("not a job"));
    assertThat(fx.events(QueueEvent.Failed.class)).hasSize(2);
  }

  @Test
  void perMessageVerdictsAckOrRetryEachMessage() {
    QueueHandler<String> verdicts =
        QueueHandler.perMessage(
            m -> switch (m.body()) {
              case "ok" -> QueueResult.ack();
              case "later" -> QueueResult.retry("not yet", m.attempts() < 2 ? 5 : 0);
              default -> throw new IllegalArgumentException("bad " + m.body());
            });
    List<String> seen = new ArrayList<>();
    fx.engine.consume("q", String.class, immediate().maxRetries(2).maxBatchSize(3).build(),
        (batch, ctx) -> {
          batch.messages().forEach(m -> seen.add(m.body() + "#" + m.attempts()));
          verdicts.queue(batch, ctx);
        });
    queue.sendBatch(List.of(io.queues4j.MessageSendRequest.of("ok"),
        io.queues4j.MessageSendRequest.of("later"), io.queues4j.MessageSendRequest.of("bad")))
        .join();
    fx.time.advance(Duration.ofMinutes(1));
    // "bad" throws: retried at once; "later" waits 5 s, then retries at once on attempt 2
    assertThat(seen)
        .containsExactly("ok#1", "later#1", "bad#1", "bad#2", "bad#3", "later#2", "later#3");
    assertThat(fx.engine.stats("q").dropped()).isEqualTo(2); // both after 3 deliveries
    assertThat(fx.engine.stats("q").acked()).isEqualTo(1);
  }

  @Test
  void consumerSettingsRejectOutOfRangeValuesNamingThem() {
    assertThatThrownBy(() -> ConsumerSettings.builder().maxBatchSize(101))
        .hasMessage("maxBatchSize must be in [1, 100] but was 101");
    assertThatThrownBy(() -> ConsumerSettings.builder().maxBatchSize(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConsumerSettings.builder().maxRetries(101))
        .hasMessageContaining("101");
    assertThatThrownBy(() -> ConsumerSettings.builder().maxConcurrency(251))
        .hasMessageContaining("251");
    assertThatThrownBy(() -> ConsumerSettings.builder().maxBatchTimeout(Duration.ofSeconds(61)))
        .hasMessageContaining("PT1M1S");
    assertThatThrownBy(() -> ConsumerSettings.builder().retryDelay(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QueueSettings.builder().deliveryDelay(Duration.ofMillis(1500)))
        .hasMessageContaining("whole seconds");
    assertThat(ConsumerSettings.builder().maxBatchSize(100).maxRetries(0).build().maxBatchSize())
        .isEqualTo(100);
  }

  @Test
  void aQueueHasOneConsumerAndNoDeadLetterCycle() {
    fx.consume("q", immediate().deadLetterQueue("q2").build(), (b, c) -> {});
    assertThatThrownBy(() -> fx.consume("q", immediate().build(), (b, c) -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("duplicate_consumer");
    fx.declare("self");
    assertThatThrownBy(() -> fx.consume("self", immediate().deadLetterQueue("self").build(),
        (b, c) -> {}))
        .hasMessageContaining("self -> self");
    assertThatThrownBy(() -> fx.consume("q2", immediate().deadLetterQueue("q").build(),
        (b, c) -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("q2 -> q -> q2");
  }
}
