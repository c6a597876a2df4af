package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.FifoQueueException;
import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.QueueRetryOptions;
import io.queues4j.QueueSendOptions;
import io.queues4j.QueueSendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** FIFO queues (queue-run's, seed 003): groups in order, one batch at a time; deduplication. */
class FifoQueueTest {
  private static final ConsumerSettings SETTINGS =
      ConsumerSettings.builder().maxBatchSize(10).maxConcurrency(4).maxRetries(2)
          .maxBatchTimeout(Duration.ofSeconds(5)).build();

  private final EngineFixture fx = new EngineFixture();

  private FifoQueue<String> declare(String name) {
    fx.engine.declareQueue(name);
    return fx.engine.fifoQueue(name);
  }

  @Test
  void theRulesOfFifoSendsAreTypedErrorsThatEnqueueNothing() {
    FifoQueue<String> fifo = declare("jobs.fifo");
    fx.engine.declareQueue("plain");
    assertThatThrownBy(() -> fx.engine.fifoQueue("plain"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".fifo");
    assertThat(EngineFixture.failure(fifo.send("x")))
        .isInstanceOf(FifoQueueException.class).hasMessageContaining("needs a group id");
    assertThat(EngineFixture.failure(
            fifo.group("g").send("x", QueueSendOptions.delaySeconds(10))))
        .isInstanceOf(FifoQueueException.class).hasMessageContaining("delaySeconds 10");
    assertThat(EngineFixture.failure(fifo.group("g").dedupe("d")
            .sendBatch(List.of(MessageSendRequest.of("a")))))
        .isInstanceOf(FifoQueueException.class).hasMessageContaining("dedupe(id)");
    FifoQueue<String> plain = (FifoQueue<String>) fx.engine.<String>queue("plain");
    assertThat(EngineFixture.failure(plain.group("g").send("x")))
        .isInstanceOf(FifoQueueException.class).hasMessageContaining("'plain' is standard");
    assertThatThrownBy(() -> fifo.group(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThat(fx.engine.stats("jobs.fifo").metrics().backlogCount()).isZero();
    assertThatThrownBy(() -> fx.engine.consume("jobs.fifo", String.class,
            SETTINGS.toBuilder().deadLetterQueue("plain-dlq").build(), (b, c) -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("same type");
  }

  @Test
  void aGroupsMessagesComeInOrderOneBatchAtATimeAndGroupsRunInParallel() {
    FifoQueue<String> fifo = declare("updates.fifo");
    for (int i = 1; i <= 3; i++) { // before the consumer: each group's run fits one batch
      fifo.group("alice").send("a" + i).join();
      fifo.group("bob").send("b" + i).join();
    }
    List<String> started = new ArrayList<>();
    java.util.Map<String, CompletableFuture<Void>> holds = new java.util.HashMap<>();
    fx.consume("updates.fifo", SETTINGS, (batch, ctx) -> {
      String group = batch.messages().get(0).groupId().orElseThrow();
      assertThat(batch.messages()).allSatisfy(m -> assertThat(m.groupId()).hasValue(group));
      started.add(group + ":" + batch.messages().stream().map(Message::body).toList());
      CompletableFuture<Void> hold = new CompletableFuture<>();
      holds.put(group, hold);
      ctx.waitUntil(hold); // keep the batch in flight until the test releases it
    });
    fx.time.runUntilIdle();
    assertThat(started).as("both groups at once, each in order")
        .containsExactlyInAnyOrder("alice:[a1, a2, a3]", "bob:[b1, b2, b3]");
    fifo.group("alice").send("a4").join();
    fx.time.runUntilIdle();
    assertThat(started).as("alice's next waits for her batch in flight").hasSize(2);
    java.util.Objects.requireNonNull(holds.get("alice")).complete(null);
    fx.time.runUntilIdle();
    assertThat(started).last().isEqualTo("alice:[a4]");
    holds.values().forEach(h -> h.complete(null));
    fx.time.runUntilIdle();
    assertThat(fx.engine.stats("updates.fifo").acked()).isEqualTo(7);
  }

  @Test
  void aFailingJobBlocksOnlyItsGroupUntilItSucceedsOrIsDeadLettered() {
    FifoQueue<String> fifo = declare("pay.fifo");
    fx.engine.declareQueue("pay-dlq.fifo");
    List<String> handled = new ArrayList<>();
    fx.consume("pay.fifo", SETTINGS.toBuilder().maxBatchSize(1).retryDelay(Duration.ofSeconds(30))
        .deadLetterQueue("pay-dlq.fifo").build(), (batch, ctx) -> {
          Message<String> m = batch.messages().get(0);
          handled.add(m.body() + "#" + m.attempts());
          if (m.body().equals("poison")) {
            throw new IllegalStateException("declined");
          }
        });
    fifo.group("carol").send("poison").join();
    fifo.group("carol").send("after").join();
    fifo.group("dave").send("other").join();
    fx.time.advance(Duration.ofMinutes(2));
    assertThat(handled).containsExactly("poison#1", "other#1", "poison#2", "poison#3", "after#1");
    assertThat(fx.engine.deadLetters("pay-dlq.fifo")).extracting(d -> d.body(String.class))
        .containsExactly("poison");
  }

  @Test
  void aDuplicateWithinTheWindowIsAcceptedButNotDeliveredAndNamesTheOriginal() {
    FifoQueue<String> fifo = declare("checkout.fifo");
    List<String> charged = new ArrayList<>();
    fx.consume("checkout.fifo", SETTINGS, (batch, ctx) ->
        batch.messages().forEach(m -> charged.add(m.body())));
    QueueSendResult first = fifo.group("erin").send("charge 10").join();
    fx.time.runUntilIdle(); // delivered and deleted: the record outlives it
    fx.time.advance(Duration.ofMinutes(4));
    QueueSendResult again = fifo.group("erin").send("charge 10").join();
    assertThat(again.duplicate()).isTrue();
    assertThat(again.messageIds()).isEqualTo(first.messageIds());
    QueueSendResult otherGroup = fifo.group("frank").send("charge 10").join();
    assertThat(otherGroup.duplicate()).as("deduplication is per group").isFalse();
    QueueSendResult byId = fifo.group("erin").dedupe("order-7").send("charge 10, take 2").join();
    QueueSendResult byIdAgain = fifo.group("erin").dedupe("order-7").send("charge 11").join();
    assertThat(byId.duplicate()).isFalse();
    assertThat(byIdAgain.duplicate()).isTrue();
    assertThat(byIdAgain.duplicateIds()).isEqualTo(byId.messageIds());
    fx.time.advance(Duration.ofMinutes(1).plusSeconds(1)); // the first record has expired
    assertThat(fifo.group("erin").send("charge 10").join().duplicate()).isFalse();
    fx.time.runUntilIdle();
    assertThat(charged).containsExactly("charge 10", "charge 10", "charge 10, take 2",
        "charge 10");
    assertThat(fx.engine.stats("checkout.fifo").deduplicated()).isEqualTo(2);
  }

  @Test
  void sequenceNumbersIncreaseInSendOrder() {
    FifoQueue<String> fifo = declare("seq.fifo");
    List<Long> seen = new ArrayList<>();
    fx.consume("seq.fifo", SETTINGS, (batch, ctx) ->
        batch.messages().forEach(m -> seen.add(m.sequenceNumber().orElseThrow())));
    fifo.group("g").sendBatch(List.of(MessageSendRequest.of("1"), MessageSendRequest.of("2"),
        MessageSendRequest.of("3"))).join();
    fifo.group("g").send("4").join();
    fx.time.runUntilIdle();
    assertThat(seen).hasSize(4).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aTimedOutJobIsSignalledAndItsGroupWaitsForItsRetry() {
    FifoQueue<String> fifo = declare("slow.fifo");
    List<String> events = new ArrayList<>();
    fx.consume("slow.fifo", SETTINGS.toBuilder().maxBatchSize(1)
        .handlerTimeout(Duration.ofSeconds(30)).build(), (batch, ctx) -> {
          Message<String> m = batch.messages().get(0);
          events.add(m.body() + "#" + m.attempts());
          if (m.body().equals("slow") && m.attempts() == 1) {
            ctx.signal().onAbort(() -> events.add("aborted"));
            ctx.waitUntil(new CompletableFuture<>()); // never completes: the job times out
          }
        });
    fifo.group("g").send("slow").join();
    fifo.group("g").send("next").join();
    fx.time.advance(Duration.ofSeconds(29));
    assertThat(events).containsExactly("slow#1");
    fx.time.advance(Duration.ofSeconds(1));
    assertThat(events).containsExactly("slow#1", "aborted", "slow#2", "next#1");
  }

  @Test
  void aFifoQueueCanBePulledOneGroupRunAtATime() {
    FifoQueue<String> fifo = declare("pulled.fifo");
    PullConsumer pull = fx.engine.attachPullConsumer("pulled.fifo", PullSettings.defaults());
    fifo.group("a").send("a1").join();
    fifo.group("b").send("b1").join();
    fifo.group("a").send("a2").join();
    PullConsumer.PulledBatch first = pull.pull(10, Duration.ofSeconds(30)).join();
    assertThat(first.messages()).extracting(m -> m.body(String.class)).containsExactly("a1", "a2");
    PullConsumer.PulledBatch second = pull.pull(10, Duration.ofSeconds(30)).join();
    assertThat(second.messages()).extracting(m -> m.body(String.class)).containsExactly("b1");
    assertThat(pull.pull().join().messages()).as("both groups are leased").isEmpty();
    pull.ack(List.of(), List.of(new PullConsumer.LeaseRetry(first.messages().get(0).leaseId(),
        QueueRetryOptions.delaySeconds(0)))).join();
    pull.ack(List.of(first.messages().get(1).leaseId()), List.of()).join();
    assertThat(pull.pull().join().messages()).extracting(m -> m.body(String.class))
        .containsExactly("a1");
  }
}
