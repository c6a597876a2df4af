package io.queues4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** {@link QueueHandler#perMessage}: one verdict per message, each applied to its message only. */
class PerMessageHandlerTest {

  /** A message that records the call made on it. */
  private static final class Recorded implements Message<String> {
    private final String body;
    String call = "none";

    Recorded(String body) {
      this.body = body;
    }

    @Override
    public String id() {
      return "id-" + body;
    }

    @Override
    public Instant timestamp() {
      return Instant.EPOCH;
    }

    @Override
    public String body() {
      return body;
    }

    @Override
    public int attempts() {
      return 1;
    }

    @Override
    public void ack() {
      call = "ack";
    }

    @Override
    public void retry(QueueRetryOptions options) {
      call = "retry" + options.delaySeconds().stream().mapToObj(d -> "(" + d + ")")
          .findFirst().orElse("");
    }
  }

  private static MessageBatch<String> batch(List<Message<String>> messages) {
    return new MessageBatch<>() {
      @Override
      public String queue() {
        return "q";
      }

      @Override
      public List<Message<String>> messages() {
        return messages;
      }

      @Override
      public QueueMetadata metadata() {
        return new QueueMetadata(QueueMetrics.EMPTY);
      }

      @Override
      public void ackAll() {
        throw new AssertionError("a per-message handler never marks the batch");
      }

      @Override
      public void retryAll(QueueRetryOptions options) {
        throw new AssertionError("a per-message handler never marks the batch");
      }
    };
  }

  @Test
  @SuppressWarnings("NullAway") // a handler compiled without null checks may return null
  void eachVerdictIsAppliedAndAFailureRetriesOnlyItsMessage() throws Exception {
    List<Recorded> recorded = new ArrayList<>();
    for (String body : List.of("ok", "later", "boom", "null")) {
      recorded.add(new Recorded(body));
    }
    QueueHandler<String> handler =
        QueueHandler.perMessage(
            m -> switch (m.body()) {
              case "ok" -> QueueResult.ack();
              case "later" -> QueueResult.retry("not yet", 30);
              case "boom" -> throw new IllegalStateException("boom");
              default -> null;
            });
    handler.queue(batch(new ArrayList<>(recorded)), new QueueContext() {
      @Override
      public void waitUntil(CompletionStage<?> stage) {
        throw new AssertionError("not used");
      }
    });
    assertThat(recorded).extracting(r -> r.call)
        .containsExactly("ack", "retry(30)", "retry", "retry");
  }
}
