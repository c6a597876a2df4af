package io.queues4j.sqlite;

import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueContentType;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process {@link LargeBacklogTest} runs with a small heap: fills a queue with {@code n}
 * messages of 1 KB (four threads of {@code sendBatch(100)}), closes the engine, opens the store
 * again and times the first delivery, then drains the queue checking that every message arrives
 * exactly once. Prints {@code key value} lines: {@code FILL_MS}, {@code REOPEN_MS} (open to the
 * first delivery), {@code DRAIN_MS}, {@code DELIVERED}, {@code DUPLICATES}, {@code MAX_HEAP_SEEN_MB} (heap in use, sampled at each delivery).
 */
public final class BacklogChild {
  private BacklogChild() {}

  /**
   * Runs it.
   *
   * @param args database file, number of messages, durability
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    SqliteStore.Durability durability = SqliteStore.Durability.valueOf(args[2]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    long fillStart = System.nanoTime();
    try (QueueEngine engine = QueueEngine.builder()
        .store(SqliteStore.builder(file).durability(durability).open()).build()) {
      engine.declareQueue("backlog");
      Queue<byte[]> queue = engine.queue("backlog");
      AtomicLong next = new AtomicLong();
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread producer = new Thread(() -> {
          long first;
          while ((first = next.getAndAdd(100)) < n) {
            List<MessageSendRequest<byte[]>> batch = new ArrayList<>(100);
            for (long id = first; id < Math.min(n, first + 100); id++) {
              byte[] body = new byte[1000];
              ByteBuffer.wrap(body).putLong(id);
              batch.add(MessageSendRequest.of(body, QueueContentType.BYTES));
            }
            queue.sendBatch(batch).join();
          }
        });
        producer.start();
        producers.add(producer);
      }
      for (Thread producer : producers) {
        producer.join();
      }
    }
    out.println("FILL_MS " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fillStart));

    BitSet seen = new BitSet(n);
    AtomicLong duplicates = new AtomicLong();
    AtomicLong delivered = new AtomicLong();
    AtomicLong firstDelivery = new AtomicLong();
    AtomicLong maxHeapSeen = new AtomicLong();
    CountDownLatch drained = new CountDownLatch(1);
    long reopenStart = System.nanoTime();
    try (QueueEngine engine = QueueEngine.builder()
        .store(SqliteStore.builder(file).durability(durability).open()).build()) {
      engine.declareQueue("backlog");
      engine.consume("backlog", byte[].class, ConsumerSettings.builder().maxBatchSize(100)
          .maxBatchTimeout(Duration.ZERO).maxConcurrency(4).build(), (batch, ctx) -> {
            firstDelivery.compareAndSet(0, System.nanoTime());
            Runtime rt = Runtime.getRuntime();
            maxHeapSeen.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
            synchronized (seen) {
              for (Message<byte[]> m : batch.messages()) {
                int id = (int) ByteBuffer.wrap(m.body()).getLong();
                if (seen.get(id)) {
                  duplicates.incrementAndGet();
                }
                seen.set(id);
              }
            }
            if (delivered.addAndGet(batch.messages().size()) >= n) {
              drained.countDown();
            }
          });
      if (!drained.await(30, TimeUnit.MINUTES)) {
        throw new IllegalStateException("not drained: " + delivered + " of " + n);
      }
    }
    out.println("REOPEN_MS " + TimeUnit.NANOSECONDS.toMillis(firstDelivery.get() - reopenStart));
    out.println("DRAIN_MS " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - reopenStart));
    out.println("DELIVERED " + seen.cardinality());
    out.println("DUPLICATES " + duplicates.get());
    out.println("MAX_HEAP_SEEN_MB " + maxHeapSeen.get() / (1024 * 1024));
  }
}
