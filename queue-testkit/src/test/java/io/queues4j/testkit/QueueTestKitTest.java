package io.queues4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueSendBatchOptions;
import io.queues4j.QueueSendOptions;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class QueueTestKitTest {
  private static final ConsumerSettings BATCH_OF_3 =
      ConsumerSettings.builder()
          .maxBatchSize(3)
          .maxBatchTimeout(Duration.ofSeconds(5))
          .maxRetries(1)
          .maxConcurrency(1)
          .build();

  @Test
  void aMessageThatOutlivesRetentionIsRecordedAsExpiredAndCountsAsSettled() {
    try (QueueTestKit kit = QueueTestKit.create()) {
      kit.declareQueue("nobody", QueueSettings.builder().retentionPeriod(Duration.ofMinutes(1)).build());
      kit.<String>queue("nobody").send("unread").join();
      kit.advance(Duration.ofSeconds(61));
      assertThat(kit.history().outcomes("nobody"))
          .extracting(RecordedOutcome::outcome)
          .containsExactly(MessageOutcome.expired());
      assertThat(kit.stats("nobody").expired()).isEqualTo(1);
    } // strict close passes: the expired message is settled
  }

  @Test
  void theSameTestGivesTheSameMessageIds() {
    List<List<String>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      try (QueueTestKit kit = QueueTestKit.create()) {
        kit.declareQueue("q");
        kit.consume("q", String.class, BATCH_OF_3, (batch, ctx) -> {});
        kit.<String>queue("q").send("a").join();
        kit.<String>queue("q").send("b").join();
        kit.runUntilIdle();
        runs.add(kit.history().deliveries("q").get(0).messageIds());
      }
    }
    assertThat(runs.get(0)).hasSize(2).doesNotHaveDuplicates();
    assertThat(runs.get(1)).isEqualTo(runs.get(0));
  }

  @Test
  void sendNeverRunsAHandlerAndTimeMovesOnlyWhenAsked() {
    List<String> seen = new ArrayList<>();
    try (QueueTestKit kit = QueueTestKit.create()) {
      kit.declareQueue("q");
      kit.consume("q", String.class, BATCH_OF_3, (batch, ctx) -> seen.add(batch.queue()));
      Queue<String> q = kit.queue("q");
      q.send("a").join();
      q.send("b").join();
      q.send("c").join(); // a full batch is claimed, but not run

      assertThat(seen).isEmpty();
      assertThat(kit.now()).isEqualTo(ManualClock.DEFAULT_START);
      kit.advance(Duration.ZERO);
      assertThat(seen).containsExactly("q");
      assertThat(kit.history().deliveries("q").get(0).at()).isEqualTo(ManualClock.DEFAULT_START);
    }
  }

  @Test
  void aPartialBatchWaitsExactlyTheBatchTimeout() {
    try (QueueTestKit kit = QueueTestKit.create()) {
      kit.declareQueue("q");
      kit.consume("q", String.class, BATCH_OF_3, (batch, ctx) -> {});
      kit.<String>queue("q").send("a").join();

      kit.advance(Duration.ofMillis(4_999));
      assertThat(kit.history().deliveries()).isEmpty();
      kit.advance(Duration.ofMillis(1));
      assertThat(kit.history().deliveries()).hasSize(1);
      assertThat(kit.now()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(5));
    }
  }

  @Test
  void advanceStopsAtEveryTimerOnTheWay() {
    try (QueueTestKit kit = QueueTestKit.create()) {
      kit.declareQueue("q");
      kit.consume("q", String.class, BATCH_OF_3, (batch, ctx) -> {});
      Queue<String> q = kit.queue("q");
      q.send("late", QueueSendOptions.delaySeconds(60)).join();
      q.send("early", QueueSendOptions.delaySeconds(10)).join();

      kit.advance(Duration.ofHours(1));

      assertThat(kit.history().deliveries())
          .extracting(RecordedDelivery::at, RecordedDelivery::bodies)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  ManualClock.DEFAULT_START.plusSeconds(15), List.of("early")),
              org.assertj.core.groups.Tuple.tuple(
                  ManualClock.DEFAULT_START.plusSeconds(65), List.of("late")));
      assertThat(kit.now()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(3600));
    }
  }

  @Test
  void runUntilIdleStopsAtTheLastEventNotAtAStaleTimer() {
    try (QueueTestKit kit = QueueTestKit.create()) {
      kit.declareQueue("q");
      kit.consume("q", String.class, BATCH_OF_3, (batch, ctx) -> {});
      kit.<String>queue("q").send("a").join();

      kit.runUntilIdle();

      // the engine leaves a wake-up at the handler deadline (5 min); it no longer matters
      assertThat(kit.now()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(5));
      assertThat(kit.history().outcomes("q"))
          .extracting(RecordedOutcome::outcome)
          .containsExactly(MessageOutcome.acked());
    }
  }

  @Test
  void queueLevelDeliveryDelayIsHonoured() {
    try (QueueTestKit kit = QueueTestKit.create()) {
      kit.declareQueue("q", QueueSettings.builder().deliveryDelay(Duration.ofMinutes(1)).build());
      kit.consume("q", String.class, BATCH_OF_3.toBuilder().maxBatchSize(1).build(), (b, c) -> {});
      kit.<String>queue("q").send("a").join();
      kit.<String>queue("q").send("b", QueueSendOptions.delaySeconds(0)).join(); // overrides

      kit.runUntilIdle();

      assertThat(kit.history().deliveries())
          .extracting(RecordedDelivery::bodies, RecordedDelivery::at)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(List.of("b"), ManualClock.DEFAULT_START),
              org.assertj.core.groups.Tuple.tuple(
                  List.of("a"), ManualClock.DEFAULT_START.plusSeconds(60)));
    }
  }

  @Test
  void recordsSendsWithBodiesOptionsAndCallNumbers() {
    try (QueueTestKit kit = QueueTestKit.builder().strict(false).build()) {
      kit.declareQueue("q");
      Queue<String> q = kit.queue("q");
      q.send("one", QueueSendOptions.delaySeconds(7)).join();
      q.sendBatch(
              List.of(MessageSendRequest.of("two"), MessageSendRequest.of("three").withDelaySeconds(1)),
              QueueSendBatchOptions.delaySeconds(30))
          .join();
      assertThat(q.send("x".repeat(200_000))).isCompletedExceptionally(); // not recorded

      List<RecordedSend> sends = kit.history().sends("q");
      assertThat(sends).extracting(RecordedSend::body).containsExactly("one", "two", "three");
      assertThat(sends).extracting(RecordedSend::call).containsExactly(1L, 2L, 2L);
      assertThat(sends)
          .extracting(RecordedSend::options)
          .containsExactly(
              QueueSendOptions.delaySeconds(7),
              QueueSendOptions.delaySeconds(30),
              QueueSendOptions.delaySeconds(1));
      assertThat(sends.get(1).visibleAt()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(30));
      assertThat(sends.get(0).bytes()).isEqualTo(5); // "one" in JSON
      assertThat(sends.get(0).body(String.class)).isEqualTo("one");
    }
  }

  @Test
  void strictCloseNamesEachUnsettledMessageAndWhereItWasSent() {
    QueueTestKit kit = QueueTestKit.create();
    kit.declareQueue("q");
    kit.declareQueue("nobody-consumes");
    kit.consume("q", String.class, BATCH_OF_3, (batch, ctx) -> {});
    kit.<String>queue("q").send("forgotten").join();
    kit.<String>queue("nobody-consumes").send("orphan").join();

    assertThatThrownBy(kit::close)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("2 messages are not settled")
        .hasMessageContaining("queue 'q':")
        .hasMessageContaining("queued")
        .hasMessageContaining("body=forgotten")
        .hasMessageContaining("queue 'nobody-consumes':")
        .hasMessageContaining("body=orphan")
        .hasMessageContaining("QueueTestKitTest.strictCloseNamesEachUnsettledMessageAndWhereItWasSent");
    kit.close(); // a second close does nothing
  }

  @Test
  void strictCloseReportsInFlightMessages() {
    QueueTestKit kit = QueueTestKit.create();
    kit.declareQueue("q");
    kit.consume(
        "q", String.class, BATCH_OF_3, (batch, ctx) -> ctx.waitUntil(new CompletableFuture<>()));
    kit.<String>queue("q").send("a").join();
    kit.advance(Duration.ofSeconds(5)); // delivered; the stage never completes

    assertThatThrownBy(kit::close).hasMessageContaining("in flight");
  }

  @Test
  void deadLettersMustBeDrainedOrTheCloseFails() {
    QueueTestKit kit = QueueTestKit.create();
    kit.declareQueue("q");
    kit.consume(
        "q",
        String.class,
        BATCH_OF_3.toBuilder().maxRetries(0).deadLetterQueue("dlq").build(),
        (batch, ctx) -> {
          throw new IllegalStateException("boom");
        });
    kit.<String>queue("q").send("a").join();
    kit.runUntilIdle();

    assertThat(kit.deadLetters("dlq")).hasSize(1);
    assertThatThrownBy(kit::checkSettled)
        .hasMessageContaining("queue 'dlq'")
        .hasMessageContaining("dead letter")
        .hasMessageContaining("sent to 'q'");
    assertThat(kit.drainDeadLetters("dlq")).extracting(d -> d.body(String.class)).containsExactly("a");
    kit.close(); // settled now
  }

  @Test
  void anAssertionFailingInsideAHandlerFailsTheClose() {
    QueueTestKit kit = QueueTestKit.create();
    kit.declareQueue("q");
    kit.consume(
        "q",
        String.class,
        BATCH_OF_3.toBuilder().maxRetries(0).build(),
        (batch, ctx) -> {
          throw new AssertionError("expected 42");
        });
    kit.<String>queue("q").send("a").join();
    kit.runUntilIdle(); // the engine retries, then drops: the message is settled

    assertThatThrownBy(kit::close)
        .hasMessageContaining("failed with an Error")
        .hasMessageContaining("expected 42")
        .hasCauseInstanceOf(AssertionError.class);
  }

  @Test
  void nonStrictKitsCloseQuietly() {
    QueueTestKit kit = QueueTestKit.builder().strict(false).build();
    kit.declareQueue("q");
    kit.<String>queue("q").send("left behind").join();
    kit.close();
    assertThatThrownBy(() -> kit.queue("q")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void timeCannotMoveInsideAHandler() {
    try (QueueTestKit kit = QueueTestKit.builder().strict(false).build()) {
      kit.declareQueue("q");
      List<Throwable> caught = new ArrayList<>();
      kit.consume(
          "q",
          String.class,
          BATCH_OF_3,
          (batch, ctx) -> {
            try {
              kit.advance(Duration.ofSeconds(1));
            } catch (IllegalStateException e) {
              caught.add(e);
            }
          });
      kit.<String>queue("q").send("a").join();
      kit.runUntilIdle();
      assertThat(caught).singleElement().asString().contains("must not be called from a handler");
    }
  }

  @Test
  void theStepLimitCatchesEndlessWork() {
    try (QueueTestKit kit = QueueTestKit.builder().strict(false).stepLimit(50).build()) {
      kit.declareQueue("ping");
      Queue<String> q = kit.queue("ping");
      kit.consume(
          "ping",
          String.class,
          BATCH_OF_3.toBuilder().maxBatchSize(1).build(),
          (batch, ctx) -> q.send("again").join()); // every message makes another
      q.send("start").join();

      assertThatThrownBy(kit::runUntilIdle)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("still not idle after 50 tasks");
    }
  }

  @Test
  void stagesCompletedThroughTheKitExecutorAreDeterministic() {
    try (QueueTestKit kit = QueueTestKit.create()) {
      kit.declareQueue("q");
      List<String> done = new ArrayList<>();
      kit.consume(
          "q",
          String.class,
          BATCH_OF_3,
          (batch, ctx) -> {
            Message<String> first = batch.messages().get(0);
            ctx.waitUntil(CompletableFuture.runAsync(() -> done.add(first.body()), kit.executor()));
          });
      kit.<String>queue("q").send("a").join();
      kit.runUntilIdle();
      assertThat(done).containsExactly("a");
      assertThat(kit.history().outcomes()).extracting(RecordedOutcome::outcome)
          .containsExactly(MessageOutcome.acked());
    }
  }

  @Test
  void aStageThatNeverCompletesTimesTheHandlerOut() {
    try (QueueTestKit kit = QueueTestKit.create()) {
      kit.declareQueue("q");
      kit.consume(
          "q",
          String.class,
          BATCH_OF_3.toBuilder().maxRetries(0).handlerTimeout(Duration.ofSeconds(30)).build(),
          (batch, ctx) -> ctx.waitUntil(new CompletableFuture<>()));
      kit.<String>queue("q").send("a").join();
      kit.runUntilIdle();

      assertThat(kit.history().failures("q"))
          .singleElement()
          .satisfies(f -> assertThat(f.cause()).isInstanceOf(TimeoutException.class))
          .satisfies(f -> assertThat(f.at()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(35)));
      assertThat(kit.history().outcomes("q"))
          .extracting(RecordedOutcome::outcome)
          .containsExactly(MessageOutcome.dropped());
    }
  }

  @Test
  void theSameTestGivesTheSameHistoryEveryRun() {
    assertThat(scenario()).isEqualTo(scenario());
  }

  /** A busy scenario reduced to what does not depend on random ids. */
  private static List<String> scenario() {
    List<String> trace = new ArrayList<>();
    try (QueueTestKit kit = QueueTestKit.builder().strict(false).build()) {
      kit.declareQueue("q");
      kit.consume(
          "q",
          Integer.class,
          ConsumerSettings.builder().maxBatchSize(4).maxRetries(2).maxConcurrency(3).build(),
          (batch, ctx) -> {
            for (Message<Integer> m : batch.messages()) {
              if ((m.body() + m.attempts()) % 3 == 0) {
                m.retry(io.queues4j.QueueRetryOptions.delaySeconds(m.body() % 4));
              }
            }
          });
      Queue<Integer> q = kit.queue("q");
      for (int i = 0; i < 30; i++) {
        q.send(i, QueueSendOptions.delaySeconds(i % 5)).join();
      }
      kit.runUntilIdle();
      for (RecordedDelivery d : kit.history().deliveries()) {
        trace.add(d.at() + " " + d.bodies() + " " + d.attempts());
      }
      for (RecordedOutcome o : kit.history().outcomes()) {
        trace.add(o.at() + " " + o.body() + " " + o.outcome());
      }
      trace.add(kit.now().toString());
    }
    assertThat(trace).hasSizeGreaterThan(30);
    return trace;
  }

  @Test
  void aSharedClockKeepsTheCodeUnderTestInStep() {
    ManualClock clock = ManualClock.startingAt(Instant.parse("2030-05-01T12:00:00Z"));
    try (QueueTestKit kit = QueueTestKit.builder().clock(clock).build()) {
      kit.advance(Duration.ofMinutes(3));
      assertThat(clock.instant()).isEqualTo(Instant.parse("2030-05-01T12:03:00Z"));
      assertThat(kit.clock()).isSameAs(clock);
    }
  }
}
