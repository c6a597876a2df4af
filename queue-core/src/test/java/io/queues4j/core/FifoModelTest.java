package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Message;
import io.queues4j.QueueSendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * FIFO queues against a small reference model: random programs of sends (a few groups, bodies
 * drawn from a small set so that duplicates happen within and outside the window), handlers that
 * fail at random, batches held in flight and released later, and time moving on. After each
 * program: every group's messages were acknowledged in send order (duplicates left out, dead
 * letters skipped), never two batches of a group in flight at once, no duplicate delivered within
 * the window, sequence numbers increasing. A failure prints the seed; replay one with {@code
 * -Dqueues4j.seed=<seed>}.
 */
class FifoModelTest {
  private static final Duration WINDOW = Duration.ofMinutes(5);
  private static final int MAX_RETRIES = 2;

  @Test
  void randomProgramsAgreeWithTheModel() {
    String replay = System.getProperty("queues4j.seed");
    long first = replay != null ? Long.parseLong(replay) : 0;
    long last = replay != null ? first + 1 : 300;
    for (long seed = first; seed < last; seed++) {
      try {
        run(seed);
      } catch (AssertionError e) {
        throw new AssertionError("FIFO model run failed; replay with -Dqueues4j.seed=" + seed, e);
      }
    }
  }

  private static void run(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    try (EngineFixture fx = new EngineFixture()) {
      fx.engine.declareQueue("m.fifo", QueueSettings.builder().deduplicationWindow(WINDOW).build());
      fx.engine.declareQueue("m-dlq.fifo");
      FifoQueue<String> queue = fx.engine.fifoQueue("m.fifo");

      // the model
      Map<String, List<String>> storedByGroup = new LinkedHashMap<>(); // ids, send order
      Map<String, Long> lastStoredAt = new HashMap<>(); // group + body -> time stored
      Map<String, String> bodyOf = new HashMap<>();
      // observations
      Map<String, List<String>> ackedByGroup = new HashMap<>();
      Set<String> deadLettered = new HashSet<>();
      Set<String> groupsInFlight = new HashSet<>();
      Map<String, Long> lastSequence = new HashMap<>();
      List<CompletableFuture<Void>> held = new ArrayList<>();
      List<String> violations = new ArrayList<>();
      double failRate = random.nextDouble() * 0.4;
      boolean[] draining = {false};

      fx.consume("m.fifo", ConsumerSettings.builder()
          .maxBatchSize(1 + random.nextInt(4)).maxConcurrency(1 + random.nextInt(4))
          .maxRetries(MAX_RETRIES).deadLetterQueue("m-dlq.fifo")
          .retryDelay(Duration.ofSeconds(random.nextInt(3)))
          .handlerTimeout(Duration.ofHours(24)) // held batches never time out here
          .build(), (batch, ctx) -> {
            String group = batch.messages().get(0).groupId().orElseThrow();
            if (!groupsInFlight.add(group)) {
              violations.add("two batches of group " + group + " in flight");
            }
            boolean fail = random.nextDouble() < failRate;
            List<String> ids = new ArrayList<>();
            for (Message<String> m : batch.messages()) {
              ids.add(m.id());
              if (!m.groupId().orElseThrow().equals(group)) {
                violations.add("a batch mixes groups " + group + " and " + m.groupId());
              }
              long sequence = m.sequenceNumber().orElseThrow();
              Long previous = lastSequence.get(group);
              if (m.attempts() == 1 && previous != null && sequence <= previous) {
                violations.add("sequence " + sequence + " after " + previous + " in " + group);
              }
              lastSequence.merge(group, sequence, Math::max);
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture<?> recorded = done.whenComplete((v, e) -> {
              groupsInFlight.remove(group);
              if (!fail) {
                ackedByGroup.computeIfAbsent(group, g -> new ArrayList<>()).addAll(ids);
              }
            });
            assertThat(recorded).isNotNull();
            if (!draining[0] && random.nextInt(3) == 0) {
              held.add(done); // released later by the program
            } else {
              done.complete(null);
            }
            ctx.waitUntil(fail ? done.thenRun(() -> {
              throw new IllegalStateException("fails");
            }) : done);
          });

      int steps = 40 + random.nextInt(40);
      for (int step = 0; step < steps; step++) {
        int op = random.nextInt(10);
        if (op < 6) {
          String group = "g" + random.nextInt(3);
          String body = "b" + random.nextInt(4);
          long now = fx.time.millis();
          String key = group + "/" + body;
          Long storedAt = lastStoredAt.get(key);
          boolean duplicate = storedAt != null && now - storedAt < WINDOW.toMillis();
          QueueSendResult result = queue.group(group).send(body).join();
          assertThat(result.duplicate()).as("seed %s step %s: duplicate of %s", seed, step, key)
              .isEqualTo(duplicate);
          if (!duplicate) {
            String id = result.messageIds().get(0);
            storedByGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(id);
            lastStoredAt.put(key, now);
            bodyOf.put(id, body);
          }
        } else if (op < 8 && !held.isEmpty()) {
          held.remove(random.nextInt(held.size())).complete(null);
        } else {
          fx.time.advance(Duration.ofSeconds(random.nextInt(120)));
        }
        fx.time.runUntilIdle();
      }
      draining[0] = true; // from now on handlers finish at once
      held.forEach(h -> h.complete(null));
      fx.time.advance(Duration.ofMinutes(10)); // every retry delay passes: everything settles
      fx.time.runUntilIdle();
      fx.engine.drainDeadLetters("m-dlq.fifo").forEach(d -> deadLettered.add(d.id()));

      assertThat(violations).as("seed %s", seed).isEmpty();
      for (Map.Entry<String, List<String>> e : storedByGroup.entrySet()) {
        List<String> expected = new ArrayList<>(e.getValue());
        expected.removeAll(deadLettered);
        assertThat(ackedByGroup.getOrDefault(e.getKey(), List.of()))
            .as("seed %s: group %s acknowledged in send order (bodies %s)", seed, e.getKey(),
                bodyOf)
            .containsExactlyElementsOf(expected);
      }
      assertThat(fx.engine.stats("m.fifo").metrics().backlogCount()).as("seed %s", seed).isZero();
    }
  }
}
