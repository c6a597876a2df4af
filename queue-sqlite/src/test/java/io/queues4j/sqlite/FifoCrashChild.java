package io.queues4j.sqlite;

import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.QueueSendResult;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.FifoQueue;
import io.queues4j.core.QueueEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The process {@link FifoCrashTest} kills: an engine on a {@link SqliteStore} (FULL) with one FIFO
 * queue; four producer threads, each the only sender of its three groups, send numbered messages
 * ({@code c<cycle>-g<group>-<index>}, the index counting up per group) as single sends and as
 * batches; a consumer with concurrent invocations acks them, and retries some once (with the rest
 * of their batch, to keep the group's order). Its journal, fsync'd, one line per fact:
 *
 * <ul>
 *   <li>{@code P cycle}: this process started
 *   <li>{@code T body}: about to send; {@code S body}: the send completed
 *   <li>{@code A body}: about to be acked (before the handler returns)
 *   <li>{@code R body duplicate}: drain mode re-sent a message whose send had completed earlier,
 *       and the queue said whether it was a duplicate (it must be: the window is 5 minutes)
 * </ul>
 *
 * <p>Arguments: database, journal, cycle, seed, mode ({@code run} or {@code drain}: re-send up
 * to 100 completed sends, consume until the queue is empty, close and exit 0).
 */
public final class FifoCrashChild {
  static final String QUEUE = "orders.fifo";
  static final int PER_THREAD = 120;

  private final Journal journal;

  private FifoCrashChild(Path journal) throws IOException {
    this.journal = new Journal(journal);
  }

  /** Whether a message is retried on its first delivery, from its body alone. */
  static boolean retriedOnce(String body) {
    return Math.floorMod(body.hashCode() * 17 + 3, 7) == 0;
  }

  /** The group of a body {@code c<cycle>-g<group>-<index>}. */
  static String group(String body) {
    return body.substring(0, body.lastIndexOf('-'));
  }

  /** The index of a body within its group. */
  static int index(String body) {
    return Integer.parseInt(body.substring(body.lastIndexOf('-') + 1));
  }

  /**
   * Runs the child.
   *
   * @param args database, journal, cycle, seed, mode
   * @throws Exception on any failure (the parent sees the exit code and stderr)
   */
  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    Path journalFile = Path.of(args[1]);
    int cycle = Integer.parseInt(args[2]);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[3]));
    boolean drain = args[4].equals("drain");
    List<String> completed = drain ? completedSends(journalFile) : List.of();
    FifoCrashChild child = new FifoCrashChild(journalFile);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    child.write("P " + cycle);
    child.sync();

    QueueEngine engine = QueueEngine.builder().store(SqliteStore.open(db)).build();
    engine.declareQueue(QUEUE);
    engine.consume(QUEUE, String.class, ConsumerSettings.builder()
        .maxBatchSize(5).maxBatchTimeout(Duration.ofMillis(20)).maxRetries(50)
        .maxConcurrency(4).build(), (batch, ctx) -> {
          boolean retrying = false;
          for (Message<String> m : batch.messages()) {
            retrying |= m.attempts() == 1 && retriedOnce(m.body());
            if (retrying) {
              m.retry();
            } else {
              child.write("A " + m.body());
              m.ack();
            }
          }
          child.sync();
        });

    if (drain) {
      FifoQueue<String> queue = engine.fifoQueue(QUEUE);
      for (String body : completed.subList(Math.max(0, completed.size() - 100),
          completed.size())) {
        QueueSendResult result = queue.group(group(body)).send(body).join();
        child.write("R " + body + " " + result.duplicate());
      }
      child.sync();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> engine.stats(QUEUE).metrics().backlogCount() == 0);
      engine.shutdown(Duration.ofSeconds(10));
      out.println("DRAINED");
      return;
    }

    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      long threadSeed = random.nextLong();
      Thread producer = new Thread(() -> child.produce(engine.fifoQueue(QUEUE), cycle, thread,
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

  /** The bodies whose sends completed, from the journal (complete lines only). */
  private static List<String> completedSends(Path journal) throws IOException {
    Set<String> sent = new LinkedHashSet<>();
    String text = Files.readString(journal, StandardCharsets.UTF_8);
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n", -1)) {
      if (line.startsWith("S ")) {
        sent.add(line.substring(2));
      }
    }
    return new ArrayList<>(sent);
  }

  private void produce(FifoQueue<String> queue, int cycle, int thread, SplittableRandom random) {
    int[] next = new int[3];
    for (int i = 0; i < PER_THREAD; ) {
      int g = random.nextInt(3);
      String group = "c" + cycle + "-g" + (thread * 3 + g);
      int size = random.nextInt(3) == 0 ? 1 + random.nextInt(5) : 0; // 0: a single send
      List<String> bodies = new ArrayList<>();
      for (int k = 0; k < Math.max(1, size) && i < PER_THREAD; k++, i++) {
        bodies.add(group + "-" + next[g]++);
      }
      for (String body : bodies) {
        write("T " + body);
      }
      FifoQueue<String> inGroup = queue.group(group);
      if (size == 0) {
        inGroup.send(bodies.get(0)).join();
      } else {
        inGroup.sendBatch(bodies.stream().map(MessageSendRequest::of).toList()).join();
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
