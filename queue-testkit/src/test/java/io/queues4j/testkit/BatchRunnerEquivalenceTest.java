package io.queues4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.MessageSendRequest;
import io.queues4j.QueueHandler;
import io.queues4j.QueueResult;
import io.queues4j.QueueRetryOptions;
import io.queues4j.core.ConsumerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BatchRunner} re-implements the engine's marking rules because the engine cannot deliver a
 * batch with preset ids and attempts; this test holds the two to the same outcomes, scenario by
 * scenario, over a matrix of retries, dead-letter queue and attempt number.
 */
class BatchRunnerEquivalenceTest {

  record Scenario(String name, QueueHandler<String> handler) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Scenario> scenarios() {
    return List.of(
        new Scenario("returns", (b, c) -> {}),
        new Scenario(
            "throws",
            (b, c) -> {
              throw new IllegalStateException("boom");
            }),
        new Scenario(
            "ack then throw",
            (b, c) -> {
              b.messages().get(0).ack();
              throw new IllegalStateException("boom");
            }),
        new Scenario(
            "retry one with delay",
            (b, c) -> b.messages().get(0).retry(QueueRetryOptions.delaySeconds(30))),
        new Scenario(
            "ackAll then retryAll",
            (b, c) -> {
              b.ackAll();
              b.retryAll(QueueRetryOptions.delaySeconds(9));
            }),
        new Scenario(
            "retry(0) wins, then retryAll(5)",
            (b, c) -> {
              b.messages().get(1).retry(QueueRetryOptions.delaySeconds(0));
              b.messages().get(1).ack();
              b.retryAll(QueueRetryOptions.delaySeconds(5));
            }),
        new Scenario(
            "retryAll then ack ignored",
            (b, c) -> {
              b.retryAll(QueueRetryOptions.delaySeconds(7));
              b.messages().get(0).ack();
            }),
        new Scenario(
            "retry one then ackAll",
            (b, c) -> {
              b.messages().get(2).retry();
              b.ackAll();
            }),
        new Scenario(
            "ackAll then throw",
            (b, c) -> {
              b.ackAll();
              throw new IllegalStateException("boom");
            }),
        new Scenario(
            "failed stage",
            (b, c) -> c.waitUntil(CompletableFuture.failedFuture(new IllegalStateException("x")))),
        new Scenario(
            "completed stage and a retry",
            (b, c) -> {
              c.waitUntil(CompletableFuture.completedFuture("ok"));
              b.messages().get(2).retry();
            }),
        new Scenario("stage never completes", (b, c) -> c.waitUntil(new CompletableFuture<>())),
        new Scenario(
            "per-message verdicts",
            QueueHandler.perMessage(
                m ->
                    switch (m.body()) {
                      case "m0" -> QueueResult.ack();
                      case "m1" -> QueueResult.retry("later", 60);
                      default -> throw new IllegalStateException("bad " + m.body());
                    })));
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (Scenario scenario : scenarios()) {
      for (int maxRetries : new int[] {0, 2}) {
        for (boolean dlq : new boolean[] {false, true}) {
          for (int attempts = 1; attempts <= maxRetries + 1; attempts += Math.max(1, maxRetries)) {
            cases.add(Arguments.of(scenario, maxRetries, dlq, attempts));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, maxRetries={1}, dlq={2}, attempts={3}")
  @MethodSource("matrix")
  void theRunnerAgreesWithTheEngine(Scenario scenario, int maxRetries, boolean dlq, int attempts) {
    ConsumerSettings.Builder builder =
        ConsumerSettings.builder()
            .maxBatchSize(3)
            .maxRetries(maxRetries)
            .retryDelay(Duration.ofSeconds(10))
            .handlerTimeout(Duration.ofMinutes(1))
            .maxConcurrency(1);
    if (dlq) {
      builder.deadLetterQueue("dlq");
    }
    ConsumerSettings settings = builder.build();

    BatchResult<String> expected =
        BatchRunner.create(settings)
            .run(TestBatch.of("m0", "m1", "m2").withAttempts(attempts), scenario.handler());

    List<MessageOutcome> actual;
    boolean engineSawFailure;
    try (QueueTestKit kit = QueueTestKit.builder().strict(false).build()) {
      kit.declareQueue("q");
      kit.consume(
          "q",
          String.class,
          settings,
          (b, c) -> {
            int attempt = b.messages().get(0).attempts();
            if (attempt < attempts) {
              throw new IllegalStateException("not yet at attempt " + attempts);
            }
            if (attempt == attempts) { // later deliveries are acked and not compared
              scenario.handler().queue(b, c);
            }
          });
      kit.<String>queue("q")
          .sendBatch(
              List.of(MessageSendRequest.of("m0"), MessageSendRequest.of("m1"), MessageSendRequest.of("m2")))
          .join();
      kit.runUntilIdle();

      RecordedDelivery delivery =
          kit.history().deliveries("q").stream()
              .filter(d -> d.attempts().get(0) == attempts)
              .findFirst()
              .orElseThrow();
      assertThat(delivery.bodies()).containsExactly("m0", "m1", "m2");
      Map<String, MessageOutcome> byId = new HashMap<>();
      for (RecordedOutcome o : kit.history().outcomes("q")) {
        if (o.attempts() == attempts) {
          byId.put(o.messageId(), o.outcome());
        }
      }
      actual = delivery.messageIds().stream().map(byId::get).toList();
      engineSawFailure =
          kit.history().failures("q").stream()
              .anyMatch(f -> !(f.cause().getMessage() + "").startsWith("not yet at attempt"));
    }

    assertThat(actual).as("outcomes").isEqualTo(expected.outcomes());
    assertThat(engineSawFailure).as("failed").isEqualTo(!expected.succeeded());
  }
}
