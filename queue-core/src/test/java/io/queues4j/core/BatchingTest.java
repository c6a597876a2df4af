package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueSendBatchOptions;
import io.queues4j.QueueSendOptions;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BEHAVIOUR.md, "Batching and dispatch" and the delay rules of "Producer". */
class BatchingTest {
  private final EngineFixture fx = new EngineFixture();
  private final Queue<String> queue = fx.declare("q");

  @AfterEach
  void close() {
    fx.close();
  }

  private void consume(ConsumerSettings settings) {
    fx.consume("q", settings, (batch, ctx) -> {});
  }

  private static List<MessageSendRequest<String>> bodies(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> MessageSendRequest.of("m" + i)).toList();
  }

  @Test
  void fullBatchesGoAtOnceAndThePartialOneAfterTheTimeout() {
    consume(ConsumerSettings.builder().maxBatchSize(10).maxConcurrency(5).build());
    queue.sendBatch(bodies(0, 25)).join();
    fx.time.runUntilIdle();
    assertThat(fx.batches).hasSize(2);
    assertThat(fx.bodies(0)).containsExactlyElementsOf(names(0, 10));
    assertThat(fx.bodies(1)).containsExactlyElementsOf(names(10, 20));

    fx.time.advance(Duration.ofMillis(4_999));
    assertThat(fx.batches).hasSize(2);
    fx.time.advance(Duration.ofMillis(1));
    assertThat(fx.batches).hasSize(3);
    assertThat(fx.bodies(2)).containsExactlyElementsOf(names(20, 25));
    assertThat(fx.engine.stats("q").acked()).isEqualTo(25);
  }

  @Test
  void theTimeoutCountsFromTheFirstMessageOfThePartialBatch() {
    consume(ConsumerSettings.builder().maxBatchSize(10).build());
    queue.send("a").join();
    fx.time.advance(Duration.ofSeconds(3));
    queue.send("b").join();
    fx.time.advance(Duration.ofSeconds(2));
    assertThat(fx.batches).hasSize(1);
    assertThat(fx.bodies(0)).containsExactly("a", "b");
  }

  @Test
  void zeroTimeoutDeliversAtOnceAndEmptyBatchesNeverGo() {
    consume(ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).build());
    fx.time.advance(Duration.ofMinutes(1));
    assertThat(fx.batches).isEmpty();
    queue.send("now").join();
    fx.time.runUntilIdle();
    assertThat(fx.batches).hasSize(1);
  }

  @Test
  void messagesArriveInSendOrderAcrossBatches() {
    consume(ConsumerSettings.builder().maxBatchSize(7).maxConcurrency(1).build());
    for (int i = 0; i < 50; i++) {
      queue.send("m" + i).join();
    }
    fx.time.advance(Duration.ofSeconds(10));
    assertThat(fx.allBodies()).containsExactlyElementsOf(names(0, 50));
  }

  @Test
  void aDelayedMessageBecomesVisibleAtItsTime() {
    consume(ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).build());
    queue.send("later", QueueSendOptions.delaySeconds(30)).join();
    fx.time.advance(Duration.ofMillis(29_999));
    assertThat(fx.batches).isEmpty();
    fx.time.advance(Duration.ofMillis(1));
    assertThat(fx.allBodies()).containsExactly("later");
  }

  @Test
  void delayedMessagesJoinTheQueueInDueOrderBeforeLaterSends() {
    consume(ConsumerSettings.builder().maxBatchSize(100).maxBatchTimeout(Duration.ofSeconds(1)).build());
    queue.send("due-at-5", QueueSendOptions.delaySeconds(5)).join();
    queue.send("due-at-2", QueueSendOptions.delaySeconds(2)).join();
    fx.time.advance(Duration.ofSeconds(6));
    queue.send("sent-at-6").join();
    fx.time.advance(Duration.ofSeconds(2));
    assertThat(fx.allBodies()).containsExactly("due-at-2", "due-at-5", "sent-at-6");
  }

  @Test
  void delayPrecedenceIsMessageThenBatchThenQueue() {
    fx.engine.declareQueue(
        "delayed", QueueSettings.builder().deliveryDelay(Duration.ofSeconds(60)).build());
    fx.consume("delayed", ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).build(),
        (b, c) -> {});
    Queue<String> delayed = fx.engine.queue("delayed");
    delayed.send("queue-default").join();
    delayed.send("explicit-zero", QueueSendOptions.delaySeconds(0)).join();
    delayed
        .sendBatch(
            List.of(MessageSendRequest.of("batch-10"), MessageSendRequest.of("own-20").withDelaySeconds(20)),
            QueueSendBatchOptions.delaySeconds(10))
        .join();
    fx.time.runUntilIdle();
    assertThat(fx.allBodies()).containsExactly("explicit-zero");
    fx.time.advance(Duration.ofSeconds(10));
    assertThat(fx.allBodies()).endsWith("batch-10");
    fx.time.advance(Duration.ofSeconds(10));
    assertThat(fx.allBodies()).endsWith("own-20");
    fx.time.advance(Duration.ofSeconds(40));
    assertThat(fx.allBodies())
        .containsExactly("explicit-zero", "batch-10", "own-20", "queue-default");
  }

  @Test
  void aQueueWithoutConsumerKeepsMessagesUntilOneIsAttached() {
    queue.sendBatch(bodies(0, 3)).join();
    fx.time.advance(Duration.ofHours(1));
    assertThat(queue.metrics().join().backlogCount()).isEqualTo(3);
    consume(ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).build());
    fx.time.runUntilIdle();
    assertThat(fx.allBodies()).containsExactlyElementsOf(names(0, 3));
    assertThat(queue.metrics().join().backlogCount()).isZero();
  }

  @Test
  void theBodyIsEncodedAtSendTime() {
    record Box(List<String> items) {}
    java.util.ArrayList<String> items = new java.util.ArrayList<>(List.of("a"));
    Queue<Box> boxes = fx.engine.queue("q");
    java.util.List<Box> seen = new java.util.ArrayList<>();
    fx.engine.consume("q", Box.class, ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).build(),
        (batch, ctx) -> batch.messages().forEach(m -> seen.add(m.body())));
    boxes.send(new Box(items)).join();
    items.add("mutated after send");
    fx.time.runUntilIdle();
    assertThat(seen).containsExactly(new Box(List.of("a")));
  }

  private static List<String> names(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "m" + i).toList();
  }
}
