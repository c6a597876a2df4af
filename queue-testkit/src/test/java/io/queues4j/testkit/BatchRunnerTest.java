package io.queues4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.Message;
import io.queues4j.QueueRetryOptions;
import io.queues4j.core.ConsumerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class BatchRunnerTest {
  private static final ConsumerSettings SETTINGS =
      ConsumerSettings.builder().maxRetries(2).retryDelay(Duration.ofSeconds(10)).build();

  @Test
  void theHandlerSeesTheGivenIdsBodiesAttemptsAndTimestamps() {
    Instant sent = Instant.parse("2026-03-01T10:00:00Z");
    TestBatch<String> batch =
        new TestBatch<>(
            "orders",
            List.of(
                TestMessage.of("id-a", "a").withAttempts(2).withTimestamp(sent),
                TestMessage.of("id-b", "b")));
    StringBuilder seen = new StringBuilder();

    BatchRunner.create()
        .run(
            batch,
            (b, ctx) -> {
              seen.append(b.queue());
              for (Message<String> m : b.messages()) {
                seen.append(' ').append(m.id()).append('=').append(m.body()).append('#')
                    .append(m.attempts());
              }
              seen.append(' ').append(b.messages().get(0).timestamp());
              seen.append(' ').append(b.metadata().metrics().backlogCount());
            });

    assertThat(seen.toString()).isEqualTo("orders id-a=a#2 id-b=b#1 " + sent + " 2");
  }

  @Test
  void returningAcksAndThrowingRetriesWithTheConfiguredDelay() {
    BatchRunner runner = BatchRunner.create(SETTINGS);
    assertThat(runner.run(TestBatch.of("a", "b"), (b, c) -> {}).outcomes())
        .containsOnly(MessageOutcome.acked());

    IllegalStateException boom = new IllegalStateException("boom");
    BatchResult<String> failed =
        runner.run(
            TestBatch.of("a", "b"),
            (b, c) -> {
              throw boom;
            });
    assertThat(failed.failure()).containsSame(boom);
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.outcomes()).containsOnly(MessageOutcome.retried(Duration.ofSeconds(10)));
  }

  @Test
  void explicitMarksWinAndTheFirstCallCounts() {
    BatchResult<String> result =
        BatchRunner.create(SETTINGS)
            .run(
                TestBatch.of("a", "b", "c"),
                (b, c) -> {
                  b.messages().get(0).ack();
                  b.messages().get(0).retry(); // ignored: ack came first
                  b.messages().get(1).retry(QueueRetryOptions.delaySeconds(0));
                  throw new IllegalStateException("after marking");
                });

    assertThat(result.outcomes())
        .containsExactly(
            MessageOutcome.acked(), // explicitly acked: not retried although the handler threw
            MessageOutcome.retried(Duration.ZERO), // explicit 0 beats retryDelay
            MessageOutcome.retried(Duration.ofSeconds(10)));
    assertThat(result.messages().get(0).mark()).contains(Mark.ack());
    assertThat(result.messages().get(1).mark()).contains(Mark.retry(0));
    assertThat(result.messages().get(2).mark()).isEmpty();
    assertThat(result.ignoredCalls())
        .containsExactly(
            "Calling retry() on message 00000000000000000000000000000001 of queue 'test-queue'"
                + " after calling ack() has no effect.");
  }

  @Test
  void batchLevelCallsApplyToUnmarkedMessagesAndSilenceLaterCalls() {
    BatchResult<String> result =
        BatchRunner.create(SETTINGS)
            .run(
                TestBatch.of("a", "b"),
                (b, c) -> {
                  b.messages().get(0).ack();
                  b.retryAll(QueueRetryOptions.delaySeconds(60));
                  b.ackAll(); // ignored
                  b.messages().get(1).ack(); // ignored
                });

    assertThat(result.batchMark()).contains(Mark.retry(60));
    assertThat(result.outcomes())
        .containsExactly(MessageOutcome.acked(), MessageOutcome.retried(Duration.ofSeconds(60)));
    assertThat(result.ignoredCalls()).hasSize(2);
    assertThat(result.ignoredCalls().get(0)).contains("ackAll()").contains("after calling retryAll()");
  }

  @Test
  void exhaustedRetriesAreDeadLetteredOrDropped() {
    TestBatch<String> lastAttempt = TestBatch.of("a").withAttempts(3); // maxRetries 2 -> 3 deliveries
    BatchResult<String> dropped = BatchRunner.create(SETTINGS).run(lastAttempt, (b, c) -> b.retryAll());
    assertThat(dropped.outcomes()).containsExactly(MessageOutcome.dropped());

    BatchResult<String> dead =
        BatchRunner.create(SETTINGS.toBuilder().deadLetterQueue("dlq").build())
            .run(lastAttempt, (b, c) -> b.retryAll());
    assertThat(dead.outcomes()).containsExactly(MessageOutcome.deadLettered("dlq"));

    BatchResult<String> acked =
        BatchRunner.create(SETTINGS).run(lastAttempt.withAttempts(99), (b, c) -> {});
    assertThat(acked.outcomes()).containsExactly(MessageOutcome.acked());
  }

  @Test
  void waitUntilStagesDecideTheOutcome() {
    BatchRunner runner = BatchRunner.create(SETTINGS);
    RuntimeException stageFailure = new RuntimeException("stage");

    BatchResult<String> failedStage =
        runner.run(
            TestBatch.of("a"),
            (b, c) -> c.waitUntil(CompletableFuture.failedFuture(stageFailure)));
    assertThat(failedStage.failure()).containsSame(stageFailure);
    assertThat(failedStage.outcomes()).containsExactly(MessageOutcome.retried(Duration.ofSeconds(10)));

    BatchResult<String> viaExecutor =
        runner.run(
            TestBatch.of("a"),
            (b, c) ->
                c.waitUntil(
                    CompletableFuture.runAsync(() -> b.messages().get(0).ack(), runner.executor())
                        .thenRun(
                            () -> {
                              throw new IllegalStateException("after ack");
                            })));
    assertThat(viaExecutor.outcomes()).containsExactly(MessageOutcome.acked());
    assertThat(viaExecutor.failure()).isPresent();

    BatchResult<String> pending =
        runner.run(TestBatch.of("a"), (b, c) -> c.waitUntil(new CompletableFuture<>()));
    assertThat(pending.timedOut()).isTrue();
    assertThat(pending.failure()).containsInstanceOf(TimeoutException.class);
    assertThat(pending.outcomes()).containsExactly(MessageOutcome.retried(Duration.ofSeconds(10)));
  }

  @Test
  void callsAfterTheEndAreIgnored() {
    Message<?>[] kept = new Message<?>[1];
    BatchResult<String> result =
        BatchRunner.create().run(TestBatch.of("a"), (b, c) -> kept[0] = b.messages().get(0));
    kept[0].retry();
    assertThat(result.outcomes()).containsExactly(MessageOutcome.acked());
  }

  @Test
  void anErrorFailsTheBatchInsteadOfEscaping() {
    BatchResult<String> result =
        BatchRunner.create()
            .run(
                TestBatch.of("a"),
                (b, c) -> {
                  throw new AssertionError("inside");
                });
    assertThat(result.failure()).containsInstanceOf(AssertionError.class);
    assertThat(result.outcomes()).containsExactly(MessageOutcome.retried(Duration.ZERO));
  }

  @Test
  void batchesAreValidated() {
    assertThatThrownBy(() -> TestBatch.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new TestBatch<>("q", List.of(TestMessage.of("x", 1), TestMessage.of("x", 2))))
        .hasMessageContaining("appears twice");
    assertThatThrownBy(() -> TestMessage.of("x", 1).withAttempts(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TestBatch.of(1, 2).messages())
        .extracting(TestMessage::id)
        .containsExactly("00000000000000000000000000000001", "00000000000000000000000000000002");
    assertThatThrownBy(() -> BatchRunner.create().run(TestBatch.of("a"), (b, c) -> {}).message("nope"))
        .isInstanceOf(java.util.NoSuchElementException.class);
  }
}
