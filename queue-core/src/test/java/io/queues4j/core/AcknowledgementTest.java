package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Message;
import io.queues4j.MessageBatch;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueRetryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BEHAVIOUR.md, "Acknowledgement and retries": every combination of handler outcome, per-message
 * marks and batch-level marks, as documented for the hosted service (not as Miniflare does it).
 */
class AcknowledgementTest {
  private final EngineFixture fx = new EngineFixture();
  private final Queue<String> queue = fx.declare("q");
  private EngineFixture.Handler firstDelivery = (batch, ctx) -> {};

  @BeforeEach
  void consumer() {
    fx.consume(
        "q",
        ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).maxRetries(5).build(),
        (batch, ctx) -> {
          if (batch.messages().get(0).attempts() == 1) {
            firstDelivery.handle(batch, ctx);
          }
        });
  }

  @AfterEach
  void close() {
    fx.close();
  }

  /** Sends a, b, c in one batch, runs {@code handler} on the first delivery, returns redelivered. */
  private List<String> redeliveredAfter(EngineFixture.Handler handler) {
    firstDelivery = handler;
    queue
        .sendBatch(
            IntStream.of('a', 'b', 'c')
                .mapToObj(c -> MessageSendRequest.of(String.valueOf((char) c)))
                .toList())
        .join();
    fx.time.runUntilIdle();
    assertThat(fx.bodies(0)).containsExactly("a", "b", "c");
    return fx.batches.stream().skip(1).flatMap(List::stream).map(EngineFixture.Seen::body).toList();
  }

  private static Message<String> msg(MessageBatch<String> batch, int i) {
    return batch.messages().get(i);
  }

  @Test
  void normalReturnAcknowledgesEverything() {
    assertThat(redeliveredAfter((b, c) -> {})).isEmpty();
    assertThat(fx.engine.stats("q").acked()).isEqualTo(3);
  }

  @Test
  void aThrowRetriesEveryMessageNotExplicitlyAcknowledged() {
    List<String> again =
        redeliveredAfter(
            (b, c) -> {
              msg(b, 1).ack();
              throw new IllegalStateException("boom");
            });
    assertThat(again).containsExactly("a", "c");
  }

  @Test
  void anErrorThrownByTheHandlerCountsAsAFailureToo() {
    assertThat(
            redeliveredAfter(
                (b, c) -> {
                  throw new AssertionError("handler bug");
                }))
        .containsExactly("a", "b", "c");
    assertThat(fx.events(QueueEvent.Failed.class, QueueEvent.Failed::cause))
        .singleElement()
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void anExplicitRetryWinsOverANormalReturn() {
    assertThat(redeliveredAfter((b, c) -> msg(b, 0).retry())).containsExactly("a");
  }

  @Test
  void theFirstCallOnAMessageWins() {
    List<String> again =
        redeliveredAfter(
            (b, c) -> {
              msg(b, 0).ack();
              msg(b, 0).retry();
              msg(b, 1).retry();
              msg(b, 1).ack();
            });
    assertThat(again).containsExactly("b");
  }

  @Test
  void ackAllWinsOverAThrow() {
    assertThat(
            redeliveredAfter(
                (b, c) -> {
                  b.ackAll();
                  throw new IllegalStateException("after ackAll");
                }))
        .isEmpty();
  }

  @Test
  void retryAllRetriesEveryUnmarkedMessageEvenOnNormalReturn() {
    assertThat(
            redeliveredAfter(
                (b, c) -> {
                  msg(b, 2).ack();
                  b.retryAll();
                }))
        .containsExactly("a", "b");
  }

  @Test
  void afterABatchLevelCallTheOtherAndPerMessageCallsAreIgnored() {
    assertThat(
            redeliveredAfter(
                (b, c) -> {
                  b.ackAll();
                  b.retryAll();
                  msg(b, 0).retry();
                }))
        .isEmpty();
  }

  @Test
  void retryAllThenAckAllStillRetries() {
    assertThat(
            redeliveredAfter(
                (b, c) -> {
                  b.retryAll();
                  b.ackAll();
                  msg(b, 0).ack();
                }))
        .containsExactly("a", "b", "c");
  }

  @Test
  void waitUntilHoldsTheBatchOpenUntilTheStageCompletes() {
    CompletableFuture<Void> stage = new CompletableFuture<>();
    List<Message<String>> held = new ArrayList<>();
    firstDelivery =
        (b, c) -> {
          held.addAll(b.messages());
          c.waitUntil(stage);
        };
    queue.sendBatch(List.of(MessageSendRequest.of("a"), MessageSendRequest.of("b"))).join();
    fx.time.advance(Duration.ofSeconds(1));
    assertThat(fx.engine.stats("q").inFlightBatches()).isEqualTo(1);
    assertThat(fx.engine.stats("q").acked()).isZero();
    held.get(0).retry(); // still counts: the invocation has not ended
    stage.complete(null);
    fx.time.runUntilIdle();
    assertThat(fx.batches).hasSize(2);
    assertThat(fx.batches.get(1)).extracting(EngineFixture.Seen::body).containsExactly("a");
  }

  @Test
  void aFailedWaitUntilStageRetriesUnacknowledgedMessages() {
    CompletableFuture<Void> stage = new CompletableFuture<>();
    firstDelivery =
        (b, c) -> {
          msg(b, 0).ack();
          c.waitUntil(stage);
        };
    queue.sendBatch(List.of(MessageSendRequest.of("a"), MessageSendRequest.of("b"))).join();
    fx.time.runUntilIdle();
    stage.completeExceptionally(new IllegalStateException("log shipping failed"));
    fx.time.runUntilIdle();
    assertThat(fx.batches).hasSize(2);
    assertThat(fx.batches.get(1)).extracting(EngineFixture.Seen::body).containsExactly("b");
  }

  @Test
  void callsAfterTheInvocationEndedHaveNoEffect() {
    List<Message<String>> kept = new ArrayList<>();
    List<MessageBatch<String>> batches = new ArrayList<>();
    firstDelivery =
        (b, c) -> {
          kept.addAll(b.messages());
          batches.add(b);
        };
    queue.send("a").join();
    fx.time.runUntilIdle();
    kept.get(0).retry();
    batches.get(0).retryAll();
    fx.time.advance(Duration.ofMinutes(1));
    assertThat(fx.batches).hasSize(1);
    assertThat(fx.engine.stats("q").acked()).isEqualTo(1);
  }

  @Test
  void marksFromAnotherThreadCount() throws Exception {
    firstDelivery =
        (b, c) -> {
          Thread t = new Thread(() -> msg(b, 0).retry(QueueRetryOptions.delaySeconds(0)));
          t.start();
          t.join();
        };
    assertThat(redeliveredAfter(firstDelivery)).containsExactly("a");
  }
}
