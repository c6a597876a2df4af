package io.queues4j.sqlite;

import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueRetryOptions;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The process {@link CrashRecoveryTest} kills: an engine on a {@link SqliteStore} (FULL), four
 * producer threads sending numbered messages (single sends and batches), a consumer that acks,
 * retries (some once, with a delay, some always: they end in the dead-letter queue) and a consumer
 * of the dead-letter queue. Everything it learns goes to a journal, one line per fact, written
 * before the fact can matter and fsync'd:
 *
 * <ul>
 *   <li>{@code T body}: about to send (before the send starts: nothing stored lacks one)
 *   <li>{@code S body}: the send completed (after its commit: every one must survive)
 *   <li>{@code D body attempts}: delivered to the consumer
 *   <li>{@code A body}: about to be acked (before the handler returns)
 *   <li>{@code L body attempts}: a dead letter delivered (and about to be acked) on the DLQ
 * </ul>
 *
 * <p>Arguments: database, journal, cycle number, seed, mode ({@code run}: send up to {@code
 * PER_THREAD} messages per thread and consume until killed; {@code drain}: consume until both
 * queues are empty, then close and exit 0).
 */
public final class CrashChild {
  static final int MAX_RETRIES = 2;
  static final int PER_THREAD = 150;
  static final String QUEUE = "jobs";
  static final String DLQ = "jobs-dlq";

  private final Journal journal;

  private CrashChild(Path journal) throws IOException {
    this.journal = new Journal(journal);
  }

  /** What becomes of a message, from its body alone: 0 ack, 1 retry once (1 s later), 2 poison. */
  static int fate(String body) {
    int h = Math.floorMod(body.hashCode() * 31 + 7, 10);
    return h == 0 ? 2 : h <= 2 ? 1 : 0;
  }

  /**
   * Runs the child.
   *
   * @param args database, journal, cycle, seed, mode
   * @throws Exception on any failure (the parent sees the exit code and stderr)
   */
  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    int cycle = Integer.parseInt(args[2]);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[3]));
    boolean drain = args[4].equals("drain");
    CrashChild child = new CrashChild(Path.of(args[1]));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    QueueEngine engine = QueueEngine.builder().store(SqliteStore.open(db)).build();
    engine.declareQueue(QUEUE);
    engine.declareQueue(DLQ);
    engine.consume(QUEUE, String.class, ConsumerSettings.builder()
        .maxBatchSize(10).maxBatchTimeout(Duration.ofMillis(20)).maxRetries(MAX_RETRIES)
        .deadLetterQueue(DLQ).maxConcurrency(4).build(), (batch, ctx) -> {
          for (Message<String> m : batch.messages()) {
            child.write("D " + m.body() + " " + m.attempts());
            int fate = fate(m.body());
            if (fate == 2 || (fate == 1 && m.attempts() == 1)) {
              m.retry(fate == 1 ? QueueRetryOptions.delaySeconds(1) : QueueRetryOptions.DEFAULT);
            } else {
              child.write("A " + m.body());
              m.ack();
            }
          }
          child.sync();
        });
    engine.consume(DLQ, String.class, ConsumerSettings.builder()
        .maxBatchSize(10).maxBatchTimeout(Duration.ofMillis(20)).build(), (batch, ctx) -> {
          for (Message<String> m : batch.messages()) {
            child.write("L " + m.body() + " " + m.attempts());
          }
          child.sync();
        });

    if (drain) {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> engine.stats(QUEUE).metrics().backlogCount()
              + engine.stats(DLQ).metrics().backlogCount() == 0);
      engine.shutdown(Duration.ofSeconds(10));
      out.println("DRAINED");
      return;
    }

    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      long threadSeed = random.nextLong();
      Thread producer = new Thread(() -> child.produce(engine.queue(QUEUE), cycle, thread,
          new SplittableRandom(threadSeed)), "producer-" + t);
      producer.setDaemon(true);
      producers.add(producer);
    }
    out.println("READY");
    producers.forEach(Thread::start);
    for (Thread producer : producers) {
      producer.join();
    }
    out.println("SENT");
    Thread.currentThread().join(); // consume until killed
  }

  private void produce(Queue<String> queue, int cycle, int thread, SplittableRandom random) {
    int i = 0;
    while (i < PER_THREAD) {
      int size = random.nextInt(3) == 0 ? 1 + random.nextInt(10) : 0; // 0: a single send
      List<String> bodies = new ArrayList<>();
      for (int k = 0; k < Math.max(1, size) && i < PER_THREAD; k++) {
        bodies.add("c" + cycle + "-t" + thread + "-" + i++);
      }
      for (String body : bodies) {
        write("T " + body);
      }
      if (size == 0) {
        queue.send(bodies.get(0)).join();
      } else {
        queue.sendBatch(bodies.stream().map(MessageSendRequest::of).toList()).join();
      }
      for (String body : bodies) {
        write("S " + body);
      }
      sync();
    }
  }

  private void write(String line) {
    journal.write(line);
  }

  private void sync() {
    journal.sync();
  }
}
