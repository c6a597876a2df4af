package io.queues4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.Message;
import io.queues4j.QueueNotFoundException;
import io.queues4j.QueueRetryOptions;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import io.queues4j.core.QueueEvent;
import io.queues4j.core.ShutdownReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's testkit points: the kit runs a user's own wiring on its engine (graceful shutdown
 * included) on virtual time, is as strict about declarations as the engine, and gives the same
 * result on any machine.
 */
class WiringTest {

  /** Production wiring, as an application would write it: declares and consumes on an engine. */
  static final class OrderWiring {
    final List<String> shipped = new ArrayList<>();

    void wire(QueueEngine engine) {
      engine.declareQueue("orders");
      engine.consume("orders", String.class, ConsumerSettings.defaults(), (batch, ctx) -> {
        for (Message<String> m : batch.messages()) {
          if (m.body().startsWith("flaky") && m.attempts() < 3) {
            m.retry(QueueRetryOptions.delaySeconds(30));
          } else {
            shipped.add(m.body() + "@" + m.attempts());
          }
        }
      });
    }
  }

  @Test
  void theKitRunsProductionWiringOnItsEngine() {
    OrderWiring app = new OrderWiring();
    try (QueueTestKit kit = QueueTestKit.create()) {
      app.wire(kit.engine());
      kit.<String>queue("orders").send("book").join();
      kit.<String>queue("orders").send("flaky lamp").join();
      kit.runUntilIdle(); // a 5 s batch timeout before each of 3 deliveries, 2 retries of 30 s

      assertThat(app.shipped).containsExactly("book@1", "flaky lamp@3");
      assertThat(kit.history().deliveries("orders")).hasSize(3);
      assertThat(kit.now()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(5 + 30 + 5 + 30 + 5));
    }
  }

  @Test
  void shutdownWithAGracePeriodRunsOnVirtualTime() {
    OrderWiring app = new OrderWiring();
    QueueTestKit kit = QueueTestKit.builder().strict(false).build();
    app.wire(kit.engine());
    kit.<String>queue("orders").send("flaky chair").join(); // retried twice, 30 s apart
    kit.advance(Duration.ofSeconds(5)); // first delivery; the retry waits 30 s

    // A graceful close: no new batches, but in-flight work may finish. Here nothing is in flight:
    // the retried message waits in the queue, so it is reported, and no time is spent.
    ShutdownReport report = kit.engine().shutdown(Duration.ofMinutes(10));
    assertThat(report.undeliveredByQueue()).containsEntry("orders", 1L);
    assertThat(kit.now()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(5));
    kit.close();
  }

  @Test
  void shutdownWaitsOnVirtualTimeForInFlightStagesUpToTheGracePeriod() {
    try (QueueTestKit kit = QueueTestKit.builder().strict(false).build()) {
      kit.declareQueue("slow");
      List<String> done = new ArrayList<>();
      kit.consume("slow", String.class,
          ConsumerSettings.builder().maxBatchSize(1).maxBatchTimeout(Duration.ZERO).build(),
          (batch, ctx) -> {
            // work that completes 20 s later on the kit's clock
            CompletableFuture<Void> later = new CompletableFuture<>();
            ctx.waitUntil(later.thenRun(() -> done.add(batch.messages().get(0).body())));
            kit.scheduler().schedule(kit.now().plusSeconds(20), () -> later.complete(null));
          });
      kit.<String>queue("slow").send("report").join(); // claimed now, runs when time is driven

      ShutdownReport report = kit.engine().shutdown(Duration.ofMinutes(1));

      assertThat(done).containsExactly("report");
      assertThat(report.clean()).isTrue();
      assertThat(kit.now()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(20));
      assertThat(kit.history().events()).anyMatch(e -> e instanceof QueueEvent.BatchSettled s
          && !s.timedOut() && s.outcomes().equals(List.of(QueueEvent.Outcome.ACKED)));
    }
  }

  @Test
  void aGracePeriodShorterThanTheWorkAbandonsItAtTheDeadline() {
    try (QueueTestKit kit = QueueTestKit.builder().strict(false).build()) {
      kit.declareQueue("slow");
      kit.consume("slow", String.class,
          ConsumerSettings.builder().maxBatchSize(1).maxBatchTimeout(Duration.ZERO).build(),
          (batch, ctx) -> ctx.waitUntil(new CompletableFuture<>())); // never completes
      kit.<String>queue("slow").send("stuck").join();

      ShutdownReport report = kit.engine().shutdown(Duration.ofSeconds(30));

      assertThat(report.abandonedInvocations()).isEqualTo(1);
      assertThat(kit.now()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(30));
    }
  }

  @Test
  void pullConsumersRunOnTheKitsVirtualTime() {
    try (QueueTestKit kit = QueueTestKit.create()) {
      kit.declareQueue("jobs");
      io.queues4j.core.PullConsumer pull = kit.engine().attachPullConsumer("jobs",
          io.queues4j.core.PullSettings.builder().retryDelay(Duration.ofSeconds(10)).build());
      kit.<String>queue("jobs").send("report").join();
      var first = pull.pull(1, Duration.ofSeconds(30)).join().messages().get(0);
      kit.advance(Duration.ofSeconds(30)); // the lease ends: a failed delivery
      assertThat(pull.pull().join().messages()).as("not before the retry delay").isEmpty();
      kit.advance(Duration.ofSeconds(10));
      var again = pull.pull().join().messages().get(0);
      assertThat(again.id()).isEqualTo(first.id());
      assertThat(again.attempts()).isEqualTo(2);
      assertThat(pull.ack(List.of(again.leaseId()), List.of()).join().acked()).isEqualTo(1);
      assertThat(kit.history().outcomes("jobs")).extracting(RecordedOutcome::outcome)
          .containsExactly(MessageOutcome.retried(Duration.ofSeconds(10)), MessageOutcome.acked());
    } // strict close: every message settled
  }

  @Test
  void fifoQueuesRunOnTheKitsVirtualTime() {
    try (QueueTestKit kit = QueueTestKit.create()) {
      kit.declareQueue("updates.fifo");
      List<String> applied = new ArrayList<>();
      kit.consume("updates.fifo", String.class, (batch, ctx) ->
          batch.messages().forEach(m -> applied.add(m.groupId().orElseThrow() + ":" + m.body())));
      io.queues4j.core.FifoQueue<String> updates = kit.engine().fifoQueue("updates.fifo");
      updates.group("u1").send("first").join();
      updates.group("u1").send("second").join();
      updates.group("u1").send("first").join(); // within 5 minutes: a duplicate
      kit.runUntilIdle();
      assertThat(applied).containsExactly("u1:first", "u1:second");
    }
  }

  @Test
  void theKitIsAsStrictAsTheEngineAboutDeclarations() {
    try (QueueTestKit kit = QueueTestKit.create()) {
      assertThatThrownBy(() -> kit.queue("typo"))
          .isInstanceOf(QueueNotFoundException.class)
          .hasMessageContaining("typo");
      assertThatThrownBy(() -> kit.consume("typo", String.class, (batch, ctx) -> { }))
          .isInstanceOf(QueueNotFoundException.class);
    }
    try (QueueTestKit kit = QueueTestKit.builder().autoDeclare(true).build()) {
      kit.consume("anything", String.class, (batch, ctx) -> { });
      kit.<String>queue("anything").send("x").join();
      kit.runUntilIdle();
      assertThat(kit.stats("anything").acked()).isEqualTo(1);
    }
  }

  /**
   * The same user test in two JVMs that see 1 and 64 processors: the kit's defaults do not
   * follow the machine, so the histories are identical.
   */
  @Test
  void theSameUserTestGivesTheSameHistoryOnOneAnd64Processors() throws Exception {
    String one = runOn(1);
    String many = runOn(64);
    assertThat(one).contains("delivered").isEqualTo(many);
  }

  private static String runOn(int processors) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-XX:ActiveProcessorCount=" + processors,
                "-cp",
                System.getProperty("java.class.path"),
                UserTestProgram.class.getName())
            .redirectErrorStream(true)
            .start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(text).isZero();
    assertThat(text).contains("processors " + processors);
    return text.lines().filter(l -> l.startsWith("delivered")).reduce("", (a, b) -> a + b + "\n");
  }
}
