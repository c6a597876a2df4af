package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.MessageSendRequest;
import io.queues4j.QueuePausedException;
import io.queues4j.QueueRetryOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pull consumers (Cloudflare's http_pull) and queue administration, on virtual time. */
class PullConsumerTest {
  private final EngineFixture fx = new EngineFixture();

  private PullConsumer pullConsumer(PullSettings settings) {
    fx.engine.declareQueue("jobs");
    return fx.engine.attachPullConsumer("jobs", settings);
  }

  private void send(String... bodies) {
    List<MessageSendRequest<String>> batch =
        java.util.Arrays.stream(bodies).map(MessageSendRequest::of).toList();
    fx.engine.<String>queue("jobs").sendBatch(batch).join();
  }

  private static List<String> bodies(PullConsumer.PulledBatch batch) {
    return batch.messages().stream().map(m -> m.body(String.class)).toList();
  }

  @Test
  void aPullLeasesReadyMessagesOldestFirstAndCountsAnAttempt() {
    PullConsumer pull = pullConsumer(PullSettings.defaults());
    send("a", "b", "c");
    PullConsumer.PulledBatch batch = pull.pull(2, Duration.ofSeconds(30)).join();
    assertThat(bodies(batch)).containsExactly("a", "b");
    assertThat(batch.messages()).allSatisfy(m -> {
      assertThat(m.attempts()).isEqualTo(1);
      assertThat(m.leaseId()).isNotBlank();
      assertThat(m.leaseEnds()).isEqualTo(fx.time.instant().plusSeconds(30));
    });
    assertThat(batch.metrics().backlogCount()).as("leased messages count").isEqualTo(3);
    assertThat(bodies(pull.pull().join())).containsExactly("c");
    assertThat(pull.pull().join().messages()).isEmpty();
    assertThat(fx.engine.stats("jobs").inFlightBatches()).as("leases in flight").isEqualTo(3);
  }

  @Test
  void anAckRemovesTheMessageOnceAndWarnsAboutUnknownLeases() {
    PullConsumer pull = pullConsumer(PullSettings.defaults());
    send("a");
    String lease = pull.pull().join().messages().get(0).leaseId();
    PullConsumer.AckResult first = pull.ack(List.of(lease, "nonsense"), List.of()).join();
    assertThat(first.acked()).isEqualTo(1);
    assertThat(first.warnings()).containsOnlyKeys("nonsense");
    PullConsumer.AckResult again = pull.ack(List.of(lease), List.of()).join();
    assertThat(again.acked()).isZero();
    assertThat(again.warnings()).containsOnlyKeys(lease);
    assertThat(fx.engine.stats("jobs").metrics().backlogCount()).isZero();
    assertThat(fx.engine.stats("jobs").acked()).isEqualTo(1);
  }

  @Test
  void aLeaseThatRunsOutIsAFailedDeliveryRetriedAfterTheRetryDelay() {
    PullConsumer pull = pullConsumer(PullSettings.builder().retryDelay(Duration.ofSeconds(10))
        .build());
    send("a");
    String lease = pull.pull(1, Duration.ofSeconds(30)).join().messages().get(0).leaseId();
    fx.time.advance(Duration.ofSeconds(30)); // the lease ends
    assertThat(pull.pull().join().messages()).as("not before the retry delay").isEmpty();
    fx.time.advance(Duration.ofSeconds(10));
    PullConsumer.PulledBatch again = pull.pull().join();
    assertThat(bodies(again)).containsExactly("a");
    assertThat(again.messages().get(0).attempts()).isEqualTo(2);
    PullConsumer.AckResult late = pull.ack(List.of(lease), List.of()).join();
    assertThat(late.acked()).as("an ack of the ended lease is not applied").isZero();
    assertThat(late.warnings()).containsOnlyKeys(lease);
    assertThat(fx.engine.stats("jobs").retried()).isEqualTo(1);
  }

  @Test
  void aRetryWaitsItsDelayAndTheLastFailureDeadLettersTheMessage() {
    PullConsumer pull = pullConsumer(PullSettings.builder().maxRetries(1)
        .deadLetterQueue("jobs-dlq").build());
    send("poison");
    String first = pull.pull().join().messages().get(0).leaseId();
    PullConsumer.AckResult retried = pull.ack(List.of(),
        List.of(new PullConsumer.LeaseRetry(first, QueueRetryOptions.delaySeconds(5)))).join();
    assertThat(retried.retried()).isEqualTo(1);
    assertThat(pull.pull().join().messages()).isEmpty();
    fx.time.advance(Duration.ofSeconds(5));
    PullConsumer.PulledBatch second = pull.pull().join();
    assertThat(second.messages().get(0).attempts()).isEqualTo(2);
    pull.ack(List.of(), List.of(new PullConsumer.LeaseRetry(
        second.messages().get(0).leaseId(), QueueRetryOptions.DEFAULT))).join();
    assertThat(fx.engine.deadLetters("jobs-dlq")).extracting(d -> d.body(String.class))
        .containsExactly("poison");
    assertThat(fx.engine.stats("jobs").deadLettered()).isEqualTo(1);
  }

  @Test
  void aQueueHasOneConsumerPushOrPull() {
    pullConsumer(PullSettings.defaults());
    assertThatThrownBy(() -> fx.engine.consume("jobs", String.class, ConsumerSettings.defaults(),
            (batch, ctx) -> { }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("duplicate_consumer");
    assertThatThrownBy(() -> fx.engine.attachPullConsumer("jobs", PullSettings.defaults()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(fx.engine.admin().pullConsumer("jobs")).isPresent();
    assertThat(fx.engine.admin().consumerSettings("jobs")).isEmpty();
  }

  @Test
  void pausingStopsPullsAndPushesUntilResumed() {
    PullConsumer pull = pullConsumer(PullSettings.defaults());
    send("a");
    fx.engine.admin().pause("jobs", true);
    assertThat(EngineFixture.failure(pull.pull())).isInstanceOf(QueuePausedException.class)
        .hasMessageContaining("paused");
    send("b"); // sends are still accepted
    fx.engine.admin().pause("jobs", false);
    assertThat(bodies(pull.pull().join())).containsExactly("a", "b");

    fx.engine.declareQueue("pushed");
    fx.consume("pushed", ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).build(),
        (batch, ctx) -> { });
    fx.engine.admin().pause("pushed", true);
    fx.engine.<String>queue("pushed").send("x").join();
    fx.time.advance(Duration.ofMinutes(1));
    assertThat(fx.batches).isEmpty();
    fx.engine.admin().pause("pushed", false);
    fx.time.runUntilIdle();
    assertThat(fx.allBodies()).containsExactly("x");
  }

  @Test
  void detachingEndsLeasesAndFreesTheQueueForAnotherConsumer() {
    PullConsumer pull = pullConsumer(PullSettings.defaults());
    send("a");
    String lease = pull.pull().join().messages().get(0).leaseId();
    assertThat(fx.engine.admin().detach("jobs")).isTrue();
    assertThatThrownBy(pull::pull).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("detached");
    assertThat(pull.ack(List.of(lease), List.of()).join().acked()).isZero();
    PullConsumer next = fx.engine.attachPullConsumer("jobs", PullSettings.defaults());
    PullConsumer.PulledBatch batch = next.pull().join();
    assertThat(bodies(batch)).containsExactly("a");
    assertThat(batch.messages().get(0).attempts()).isEqualTo(2);
  }

  @Test
  void purgeRemovesWaitingDelayedAndLeasedMessages() {
    PullConsumer pull = pullConsumer(PullSettings.defaults());
    send("leased", "waiting");
    fx.engine.<String>queue("jobs").send("delayed", io.queues4j.QueueSendOptions.delaySeconds(60))
        .join();
    String lease = pull.pull(1, Duration.ofSeconds(30)).join().messages().get(0).leaseId();
    assertThat(fx.engine.admin().purge("jobs")).isEqualTo(3);
    assertThat(fx.engine.stats("jobs").metrics().backlogCount()).isZero();
    assertThat(pull.ack(List.of(lease), List.of()).join().warnings()).containsOnlyKeys(lease);
  }

  @Test
  void settingsChangeAndQueuesAreDeletedOnlyWhenUnused() {
    PullConsumer pull = pullConsumer(PullSettings.builder().deadLetterQueue("jobs-dlq").build());
    fx.engine.admin().update("jobs",
        QueueSettings.builder().deliveryDelay(Duration.ofSeconds(20)).build());
    assertThat(fx.engine.admin().settings("jobs").deliveryDelay()).isEqualTo(Duration.ofSeconds(20));
    send("later");
    assertThat(pull.pull().join().messages()).isEmpty();
    fx.time.advance(Duration.ofSeconds(20));
    assertThat(bodies(pull.pull().join())).containsExactly("later");

    assertThatThrownBy(() -> fx.engine.admin().delete("jobs-dlq"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("dead-letter queue");
    assertThatThrownBy(() -> fx.engine.admin().delete("jobs"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("detach");
    fx.engine.admin().detach("jobs");
    fx.engine.admin().delete("jobs");
    assertThat(fx.engine.queueNames()).doesNotContain("jobs");
    fx.engine.admin().delete("jobs-dlq");
    assertThat(fx.engine.queueNames()).isEmpty();
  }

  @Test
  void replacingThePullConsumerKeepsItsLeases() {
    PullConsumer pull = pullConsumer(PullSettings.defaults());
    send("a", "b");
    String lease = pull.pull(1, Duration.ofSeconds(30)).join().messages().get(0).leaseId();
    PullConsumer replaced = fx.engine.admin().replacePullConsumer("jobs",
        PullSettings.builder().batchSize(7).build());
    assertThat(replaced.settings().batchSize()).isEqualTo(7);
    assertThatThrownBy(pull::pull).isInstanceOf(IllegalStateException.class);
    assertThat(replaced.ack(List.of(lease), List.of()).join().acked()).isEqualTo(1);
    assertThat(bodies(replaced.pull().join())).containsExactly("b");
  }

  @Test
  void aSendResultNamesTheIdsTheConsumerSees() {
    PullConsumer pull = pullConsumer(PullSettings.defaults());
    List<String> ids = fx.engine.<String>queue("jobs").sendBatch(
        List.of(MessageSendRequest.of("a"), MessageSendRequest.of("b"))).join().messageIds();
    assertThat(pull.pull().join().messages()).extracting(PulledMessage::id)
        .containsExactlyElementsOf(ids);
  }
}
