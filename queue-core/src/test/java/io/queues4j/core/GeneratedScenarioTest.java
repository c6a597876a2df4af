package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Message;
import io.queues4j.MessageBatch;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueRetryOptions;
import io.queues4j.QueueSendOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of sends, handler behaviours and time steps, checked against a reference model
 * of each message's life. The model knows only the documented rules (first mark wins, batch marks
 * cover unmarked messages, a throw retries the unacknowledged, maxRetries + 1 deliveries, delay
 * precedence), not the engine's code. A failure prints the seed; replay it with {@code
 * -Dqueues4j.seed=<seed>}.
 */
class GeneratedScenarioTest {
  private static final int SCENARIOS = 300;

  /** The model's "acknowledged" outcome; a retry is its {@link QueueRetryOptions}. */
  private static final Object ACK = new Object() {
    @Override
    public String toString() {
      return "ack";
    }
  };

  @Test
  void everyMessageEndsExactlyAsTheModelSays() {
    String replay = System.getProperty("queues4j.seed");
    if (replay != null) {
      run(Long.parseLong(replay));
      return;
    }
    SplittableRandom seeds = new SplittableRandom(0x5eed_2026L);
    for (int i = 0; i < SCENARIOS; i++) {
      run(seeds.nextLong());
    }
  }

  private static void run(long seed) {
    try {
      new Scenario(seed).play();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("scenario failed; replay with -Dqueues4j.seed=" + seed, e);
    }
  }

  /** The model's view of one message. */
  private static final class Life {
    long nextVisibleAt;
    int deliveries;
    @Nullable String end; // "acked", "dead", "dropped"

    Life(long visibleAt) {
      this.nextVisibleAt = visibleAt;
    }
  }

  private static final class Scenario {
    private final long seed;
    private final SplittableRandom random;
    private final EngineFixture fx = new EngineFixture();
    private final ConsumerSettings settings;
    private final boolean deadLetterQueue;
    private final Map<String, Life> lives = new HashMap<>();
    private final Map<String, String> bodyToId = new HashMap<>();
    private final Map<String, Long> sendVisibleAt = new HashMap<>();
    private int sent;

    Scenario(long seed) {
      this.seed = seed;
      this.random = new SplittableRandom(seed);
      this.deadLetterQueue = random.nextBoolean();
      ConsumerSettings.Builder b =
          ConsumerSettings.builder()
              .maxBatchSize(1 + random.nextInt(5))
              .maxBatchTimeout(Duration.ofMillis(random.nextInt(4) * 1000L))
              .maxRetries(random.nextInt(4))
              .retryDelay(Duration.ofSeconds(random.nextInt(3)))
              .maxConcurrency(1 + random.nextInt(3));
      if (deadLetterQueue) {
        b.deadLetterQueue("dlq");
      }
      this.settings = b.build();
    }

    void play() {
      Queue<String> queue = fx.declare("q");
      fx.engine.consume("q", String.class, settings, this::handle);
      int steps = 20 + random.nextInt(40);
      for (int i = 0; i < steps; i++) {
        switch (random.nextInt(4)) {
          case 0 -> send(queue);
          case 1 -> sendBatch(queue);
          default -> fx.time.advance(Duration.ofMillis(random.nextInt(4_000)));
        }
      }
      fx.time.advance(Duration.ofDays(1)); // long enough for every delay and retry to play out
      checkEnd();
      fx.close();
    }

    private void send(Queue<String> queue) {
      String body = "m" + sent++;
      int delay = random.nextInt(3) == 0 ? random.nextInt(6) : 0;
      sendVisibleAt.put(body, fx.time.millis() + delay * 1000L);
      queue.send(body, QueueSendOptions.delaySeconds(delay)).join();
    }

    private void sendBatch(Queue<String> queue) {
      int n = 1 + random.nextInt(8);
      List<MessageSendRequest<String>> requests = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String body = "m" + sent++;
        sendVisibleAt.put(body, fx.time.millis());
        requests.add(MessageSendRequest.of(body));
      }
      queue.sendBatch(requests).join();
    }

    /** Performs a random script of marks, predicts each outcome, then checks the engine's. */
    private void handle(MessageBatch<String> batch, io.queues4j.QueueContext ctx) {
      long now = fx.time.millis();
      List<Message<String>> messages = batch.messages();
      assertThat(messages).hasSizeBetween(1, settings.maxBatchSize());
      Object[] marks = new Object[messages.size()];
      Object batchMark = null;
      for (Message<String> m : messages) {
        Life life = life(m);
        assertThat(life.end).as("delivered after it ended: %s", m.body()).isNull();
        assertThat(now).as("delivered before visible: %s", m.body())
            .isGreaterThanOrEqualTo(life.nextVisibleAt);
        assertThat(m.attempts()).isEqualTo(++life.deliveries);
      }
      int ops = random.nextInt(4);
      for (int i = 0; i < ops; i++) {
        int pick = random.nextInt(messages.size() + 2);
        Object op = random.nextBoolean() ? ACK : retryOptions();
        if (pick < messages.size()) {
          if (op == ACK) {
            messages.get(pick).ack();
          } else {
            messages.get(pick).retry((QueueRetryOptions) op);
          }
          if (batchMark == null && marks[pick] == null) {
            marks[pick] = op;
          }
        } else {
          if (op == ACK) {
            batch.ackAll();
          } else {
            batch.retryAll((QueueRetryOptions) op);
          }
          if (batchMark == null) {
            batchMark = op;
          }
        }
      }
      boolean fails = random.nextInt(4) == 0;
      for (int i = 0; i < messages.size(); i++) {
        Object outcome = marks[i] != null ? marks[i] : batchMark != null ? batchMark
            : fails ? QueueRetryOptions.DEFAULT : ACK;
        predict(messages.get(i), outcome, now);
      }
      if (fails) {
        throw new IllegalStateException("scripted failure (seed " + seed + ")");
      }
    }

    private QueueRetryOptions retryOptions() {
      return random.nextBoolean()
          ? QueueRetryOptions.DEFAULT
          : QueueRetryOptions.delaySeconds(random.nextInt(4));
    }

    private void predict(Message<String> m, Object outcome, long now) {
      Life life = life(m);
      if (outcome == ACK) {
        life.end = "acked";
      } else if (life.deliveries > settings.maxRetries()) {
        life.end = deadLetterQueue ? "dead" : "dropped";
      } else {
        QueueRetryOptions options = (QueueRetryOptions) outcome;
        long delay = options.delaySeconds().isPresent()
            ? options.delaySeconds().getAsInt() * 1000L
            : settings.retryDelay().toMillis();
        life.nextVisibleAt = now + delay;
      }
    }

    private Life life(Message<String> m) {
      bodyToId.putIfAbsent(m.body(), m.id());
      assertThat(bodyToId.get(m.body())).as("id of %s is stable", m.body()).isEqualTo(m.id());
      Long visibleAt = sendVisibleAt.get(m.body());
      if (visibleAt == null) {
        throw new AssertionError("invented message " + m.body());
      }
      long at = visibleAt;
      return lives.computeIfAbsent(m.id(), id -> new Life(at));
    }

    private void checkEnd() {
      assertThat(lives).as("every sent message was delivered").hasSize(sent);
      Map<String, Long> ends = new HashMap<>();
      for (Life life : lives.values()) {
        assertThat(life.end).as("message still open").isNotNull();
        assertThat(life.deliveries).isLessThanOrEqualTo(settings.maxRetries() + 1);
        ends.merge(life.end, 1L, Long::sum);
      }
      QueueStats stats = fx.engine.stats("q");
      assertThat(stats.sent()).isEqualTo(sent);
      assertThat(stats.acked()).isEqualTo(ends.getOrDefault("acked", 0L));
      assertThat(stats.deadLettered()).isEqualTo(ends.getOrDefault("dead", 0L));
      assertThat(stats.dropped()).isEqualTo(ends.getOrDefault("dropped", 0L));
      assertThat(stats.metrics().backlogCount()).isZero();
      assertThat(stats.deliveries())
          .isEqualTo(lives.values().stream().mapToLong(l -> l.deliveries).sum());
      if (deadLetterQueue) {
        List<String> dead = fx.engine.deadLetters("dlq").stream().map(DeadLetter::id).toList();
        assertThat(dead).containsExactlyInAnyOrderElementsOf(
            lives.entrySet().stream().filter(e -> "dead".equals(e.getValue().end))
                .map(Map.Entry::getKey).toList());
      }
    }
  }
}
