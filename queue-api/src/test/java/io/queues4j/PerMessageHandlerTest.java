package io.queues4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

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

  private static final QueueContext NO_CONTEXT =
      new QueueContext() {
        @Override
        public void waitUntil(CompletionStage<?> stage) {
          throw new AssertionError("not used");
        }
      };

  /** Runs a batch through the adapter with a logger that records events. */
  private static List<SubstituteLoggingEvent> runLogged(
      MessageHandler<String> verdicts, String... bodies) {
    LinkedBlockingQueue<SubstituteLoggingEvent> events = new LinkedBlockingQueue<>();
    // Without a delegate, a SubstituteLogger records every event at every level.
    SubstituteLogger logger = new SubstituteLogger("test", events, false);
    List<Message<String>> messages = new ArrayList<>();
    for (String body : bodies) {
      messages.add(new Recorded(body));
    }
    new VerdictAdapter<>(verdicts, logger).queue(batch(messages), NO_CONTEXT);
    return new ArrayList<>(events);
  }

  private static List<SubstituteLoggingEvent> at(List<SubstituteLoggingEvent> events, Level level) {
    return events.stream().filter(e -> e.getLevel() == level).toList();
  }

  @Test
  void failuresOfOneBatchLogOneWarningWithTheFirstCauseAndEachAtDebug() {
    IllegalStateException first = new IllegalStateException("downstream down (1)");
    IllegalStateException second = new IllegalStateException("downstream down (2)");
    List<SubstituteLoggingEvent> events =
        runLogged(
            m -> switch (m.body()) {
              case "a" -> throw first;
              case "c" -> throw second;
              default -> QueueResult.ack();
            },
            "a", "b", "c", "d");

    List<SubstituteLoggingEvent> warnings = at(events, Level.WARN);
    assertThat(warnings).hasSize(1);
    SubstituteLoggingEvent warning = warnings.get(0);
    assertThat(warning.getThrowable()).isSameAs(first);
    assertThat(warning.getMessage()).contains("failed on {} of {} messages {}");
    assertThat(warning.getArgumentArray())
        .containsExactly("q", 2, 4, List.of("id-a", "id-c"));
    assertThat(at(events, Level.DEBUG))
        .filteredOn(e -> e.getThrowable() != null)
        .extracting(SubstituteLoggingEvent::getThrowable)
        .containsExactly(first, second);
    assertThat(at(events, Level.ERROR)).isEmpty();
    assertThat(at(events, Level.INFO)).isEmpty();
  }

  @Test
  void aBatchWithoutFailuresLogsNothingAboveDebug() {
    List<SubstituteLoggingEvent> events =
        runLogged(
            m -> m.body().equals("later") ? QueueResult.retry("not yet") : QueueResult.ack(),
            "ok", "later");

    assertThat(events).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.DEBUG));
    assertThat(events).singleElement()
        .satisfies(e -> assertThat(e.getArgumentArray()).containsExactly("id-later", "q", "not yet"));
  }
}
