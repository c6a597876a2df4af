package io.queues4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.BatchTooLargeException;
import io.queues4j.ContentTypeMismatchException;
import io.queues4j.EmptyBatchException;
import io.queues4j.MessageSendRequest;
import io.queues4j.MessageTooLargeException;
import io.queues4j.QueueContentType;
import io.queues4j.QueueException;
import io.queues4j.QueueSendOptions;
import io.queues4j.TooManyMessagesException;
import io.queues4j.core.QueueLimits;
import io.queues4j.core.QueueSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FakeQueueTest {

  private static Throwable failureOf(CompletableFuture<?> future) {
    assertThat(future).isCompletedExceptionally();
    try {
      future.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return java.util.Objects.requireNonNull(e.getCause());
    }
  }

  @Test
  void recordsAcceptedMessagesInOrder() {
    FakeQueue<String> q = FakeQueue.create("q");
    q.send("a").join();
    q.clock().advance(Duration.ofSeconds(2));
    q.sendBatch(List.of(MessageSendRequest.of("b"), MessageSendRequest.of("c"))).join();

    assertThat(q.sentBodies()).containsExactly("a", "b", "c");
    assertThat(q.sent()).extracting(RecordedSend::call).containsExactly(1L, 2L, 2L);
    assertThat(q.sent().get(2).at()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(2));
    assertThat(q.sent()).extracting(RecordedSend::queue).containsOnly("q");
    assertThat(q.metrics().join().backlogCount()).isEqualTo(3); // kept, as by the hosted service
    assertThat(q.name()).isEqualTo("q");
  }

  @Test
  void enforcesTheEnginesLimitsAtTheExactBoundaries() {
    FakeQueue<Object> q = FakeQueue.create("q");
    String text128k = "x".repeat(128_000);

    assertThat(q.send(text128k, QueueSendOptions.contentType(QueueContentType.TEXT))).isDone();
    assertThat(failureOf(q.send(text128k + "x", QueueSendOptions.contentType(QueueContentType.TEXT))))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("128001");
    assertThat(failureOf(q.send(text128k))) // JSON adds two quotes
        .isInstanceOf(MessageTooLargeException.class);
    assertThat(failureOf(q.send(42, QueueSendOptions.contentType(QueueContentType.TEXT))))
        .isInstanceOf(ContentTypeMismatchException.class);
    assertThat(failureOf(q.sendBatch(List.of()))).isInstanceOf(EmptyBatchException.class);
    List<MessageSendRequest<Object>> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      many.add(MessageSendRequest.of(i));
    }
    assertThat(failureOf(q.sendBatch(many))).isInstanceOf(TooManyMessagesException.class);
    assertThat(
            failureOf(
                q.sendBatch(
                    List.of(
                        MessageSendRequest.of("a".repeat(100_000)),
                        MessageSendRequest.of("b".repeat(100_000)),
                        MessageSendRequest.of("c".repeat(100_000))))))
        .isInstanceOf(BatchTooLargeException.class);

    assertThat(q.sent()).hasSize(1); // only the valid one
  }

  @Test
  void customLimitsAndSettingsApply() {
    FakeQueue<String> q =
        FakeQueue.builder("q")
            .limits(QueueLimits.builder().maxMessageBytes(10).build())
            .settings(QueueSettings.builder().deliveryDelay(Duration.ofSeconds(30)).build())
            .build();
    assertThat(failureOf(q.send("0123456789"))).isInstanceOf(MessageTooLargeException.class);
    q.send("short").join();
    assertThat(q.sent().get(0).visibleAt()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(30));
  }

  @Test
  void failsTheNextSendsThenRecovers() {
    FakeQueue<String> q = FakeQueue.create("q");
    QueueException outage = new QueueException("q", "Storage Limit Exceeded");
    q.failNextSends(2, outage);

    assertThat(failureOf(q.send("a"))).isSameAs(outage);
    assertThat(failureOf(q.sendBatch(List.of(MessageSendRequest.of("b"))))).isSameAs(outage);
    q.send("c").join();

    assertThat(q.sentBodies()).containsExactly("c");
  }

  @Test
  void failNextSendSimulatesTooManyRequests() {
    FakeQueue<String> q = FakeQueue.create("q");
    q.failNextSend();
    assertThat(failureOf(q.send("a")))
        .isInstanceOf(QueueException.class)
        .hasMessageContaining("Too Many Requests");
    q.send("b").join();
    assertThat(q.sentBodies()).containsExactly("b");
  }

  @Test
  void failsEverySendUntilToldToStop() {
    FakeQueue<String> q = FakeQueue.create("q");
    q.failAllSends(new QueueException("q", "down"));
    for (int i = 0; i < 3; i++) {
      assertThat(failureOf(q.send("a"))).hasMessage("down");
    }
    q.stopFailing();
    q.send("b").join();
    assertThat(q.sentBodies()).containsExactly("b");
  }

  @Test
  void rejectsBadArgumentsLikeTheEngine() {
    FakeQueue<String> q = FakeQueue.create("q");
    assertThatThrownBy(() -> FakeQueue.create(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> q.failNextSends(0, new QueueException("q", "x")))
        .isInstanceOf(IllegalArgumentException.class);
    List<MessageSendRequest<String>> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> q.sendBatch(withNull)).isInstanceOf(NullPointerException.class);
  }
}
