package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queues4j.BatchTooLargeException;
import io.queues4j.ContentTypeMismatchException;
import io.queues4j.EmptyBatchException;
import io.queues4j.MessageEncodingException;
import io.queues4j.MessageSendRequest;
import io.queues4j.MessageTooLargeException;
import io.queues4j.Queue;
import io.queues4j.QueueContentType;
import io.queues4j.QueueNotFoundException;
import io.queues4j.QueueSendBatchOptions;
import io.queues4j.QueueSendOptions;
import io.queues4j.QueueSendResult;
import io.queues4j.TooManyMessagesException;
import io.queues4j.UnsupportedContentTypeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BEHAVIOUR.md, "Producer": sizes, counts, content types; every failure enqueues nothing. */
class SendLimitsTest {
  private final EngineFixture fx = new EngineFixture();
  private final Queue<Object> queue = fx.engine.queue(declared());

  private String declared() {
    fx.engine.declareQueue("q");
    return "q";
  }

  @AfterEach
  void close() {
    fx.close();
  }


  private long backlog() {
    return queue.metrics().join().backlogCount();
  }

  @Test
  void textOf128000AsciiCharactersIsAcceptedAnd128001Rejected() {
    QueueSendOptions text = QueueSendOptions.contentType(QueueContentType.TEXT);
    assertThat(queue.send("a".repeat(128_000), text)).isCompleted();
    Throwable error = EngineFixture.failure(queue.send("a".repeat(128_001), text));
    assertThat(error)
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("message length of 128001 bytes exceeds limit of 128000");
    assertThat(((MessageTooLargeException) error).actualBytes()).isEqualTo(128_001);
    assertThat(backlog()).isEqualTo(1);
  }

  @Test
  void jsonStringCountsItsQuotes() {
    assertThat(queue.send("a".repeat(127_998))).isCompleted();
    assertThat(EngineFixture.failure(queue.send("a".repeat(127_999))))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("128001");
  }

  @Test
  void multiByteCharactersCountTheirUtf8Bytes() {
    QueueSendOptions text = QueueSendOptions.contentType(QueueContentType.TEXT);
    assertThat(queue.send("é".repeat(64_000), text)).isCompleted();
    assertThat(EngineFixture.failure(queue.send("é".repeat(64_000) + "a", text)))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("128001");
  }

  @Test
  void bytesAreMeasuredAsGiven() {
    QueueSendOptions bytes = QueueSendOptions.contentType(QueueContentType.BYTES);
    assertThat(queue.send(new byte[128_000], bytes)).isCompleted();
    assertThat(EngineFixture.failure(queue.send(new byte[128_001], bytes)))
        .isInstanceOf(MessageTooLargeException.class);
  }

  @Test
  void batchOf100IsAcceptedAnd101RejectedWithNothingEnqueued() {
    assertThat(queue.sendBatch(requests(100, "x"))).isCompleted();
    Throwable error = EngineFixture.failure(queue.sendBatch(requests(101, "x")));
    assertThat(error)
        .isInstanceOf(TooManyMessagesException.class)
        .hasMessageContaining("batch message count of 101 exceeds limit of 100");
    assertThat(backlog()).isEqualTo(100);
  }

  @Test
  void emptyBatchIsAnError() {
    assertThat(EngineFixture.failure(queue.sendBatch(List.of())))
        .isInstanceOf(EmptyBatchException.class)
        .hasMessageContaining("requires at least one message");
  }

  @Test
  void batchBytesAreLimitedTo256000InTotal() {
    QueueContentType text = QueueContentType.TEXT;
    List<MessageSendRequest<Object>> exact = new ArrayList<>();
    exact.add(MessageSendRequest.of("a".repeat(128_000), text));
    exact.add(MessageSendRequest.of("a".repeat(128_000), text));
    assertThat(queue.sendBatch(exact)).isCompleted();

    List<MessageSendRequest<Object>> over = new ArrayList<>(exact);
    over.add(MessageSendRequest.of("a", text));
    Throwable error = EngineFixture.failure(queue.sendBatch(over));
    assertThat(error)
        .isInstanceOf(BatchTooLargeException.class)
        .hasMessageContaining("256001")
        .hasMessageContaining("256000");
    assertThat(backlog()).isEqualTo(2);
  }

  @Test
  void oneOversizeMessageFailsTheWholeBatch() {
    List<MessageSendRequest<Object>> batch = new ArrayList<>(requests(5, "ok"));
    batch.add(MessageSendRequest.of("a".repeat(128_001), QueueContentType.TEXT));
    assertThat(EngineFixture.failure(queue.sendBatch(batch))).isInstanceOf(MessageTooLargeException.class);
    assertThat(backlog()).isZero();
  }

  @Test
  void contentTypeMustMatchTheBody() {
    assertThat(EngineFixture.failure(queue.send(42, QueueSendOptions.contentType(QueueContentType.TEXT))))
        .isInstanceOf(ContentTypeMismatchException.class)
        .hasMessageContaining("Content Type \"text\" requires a value of type String")
        .hasMessageContaining("java.lang.Integer");
    assertThat(EngineFixture.failure(queue.send("s", QueueSendOptions.contentType(QueueContentType.BYTES))))
        .isInstanceOf(ContentTypeMismatchException.class);
    assertThat(EngineFixture.failure(queue.send("s", QueueSendOptions.contentType(QueueContentType.V8))))
        .isInstanceOf(UnsupportedContentTypeException.class)
        .hasMessageContaining("v8");
    assertThat(backlog()).isZero();
  }

  @Test
  void aBodyJacksonCannotEncodeIsATypedError() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThat(EngineFixture.failure(queue.send(cycle))).isInstanceOf(MessageEncodingException.class);
    assertThat(EngineFixture.failure(queue.send(new Object())))
        .isInstanceOf(MessageEncodingException.class)
        .hasMessageContaining("java.lang.Object");
    assertThat(backlog()).isZero();
  }

  @Test
  void delaysOutsideTheRangeAreRejectedWithTheValue() {
    assertThatThrownBy(() -> QueueSendOptions.delaySeconds(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 86400]")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> QueueSendBatchOptions.delaySeconds(86_401))
        .hasMessageContaining("86401");
    assertThatThrownBy(() -> MessageSendRequest.of("x").withDelaySeconds(86_401))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(QueueSendOptions.delaySeconds(86_400).delaySeconds()).hasValue(86_400);
  }

  @Test
  void unknownQueueIsATypedError() {
    assertThatThrownBy(() -> fx.engine.queue("nope"))
        .isInstanceOf(QueueNotFoundException.class)
        .hasMessageContaining("'nope'");
  }

  @Test
  void limitsCanBeOverriddenForAnotherRuntime() {
    try (EngineFixture w7s =
        new EngineFixture(QueueLimits.builder().maxMessageBytes(64_000).build())) {
      Queue<String> q = w7s.declare("w7s");
      QueueSendOptions text = QueueSendOptions.contentType(QueueContentType.TEXT);
      assertThat(q.send("a".repeat(64_000), text)).isCompleted();
      assertThat(EngineFixture.failure(q.send("a".repeat(64_001), text)))
          .isInstanceOf(MessageTooLargeException.class)
          .hasMessageContaining("limit of 64000");
    }
  }

  @Test
  void sendResultCarriesTheQueueMetrics() {
    QueueSendResult first = queue.send("abc", QueueSendOptions.contentType(QueueContentType.TEXT)).join();
    assertThat(first.metadata().metrics().backlogCount()).isEqualTo(1);
    assertThat(first.metadata().metrics().backlogBytes()).isEqualTo(3);
    assertThat(first.metadata().metrics().oldestMessageTimestamp()).isEqualTo(fx.time.millis());
    QueueSendResult second = queue.sendBatch(requests(3, "xy")).join();
    assertThat(second.metadata().metrics().backlogCount()).isEqualTo(4);
    assertThat(second.metadata().metrics().backlogBytes()).isEqualTo(3 + 3 * 4);
  }

  private static List<MessageSendRequest<Object>> requests(int n, String body) {
    return IntStream.range(0, n).mapToObj(i -> MessageSendRequest.<Object>of(body)).toList();
  }
}
