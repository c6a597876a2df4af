package io.queues4j.benchmarks;

import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueSendResult;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import io.queues4j.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FIFO queues on the SQLite store, end to end: four producer threads call {@code sendBatch} with
 * 100 bodies of one group and wait for each send (group commit); the consumer takes batches of up
 * to 10 with {@code maxConcurrency} 4. A standard queue, a FIFO queue whose sends all go to one
 * group (one batch in flight at a time), and one whose batches go to 1,000 groups in turn. Every
 * FIFO message also costs a deduplication record (a SHA-256 of its body, a lookup and an insert in
 * the same transaction) and its group's head.
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar benchmarks/target/benchmarks.jar SqliteFifoBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SqliteFifoBenchmark {
  static final int BATCH = 100;

  @Param({"standard", "fifo-1", "fifo-1000"})
  String impl = "standard";

  @Param({"NORMAL"})
  String durability = "NORMAL";

  @Nullable OnSqlite pipeline;

  /** Starts the pipeline on a new database and warms it with 20,000 messages. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    int groups = switch (impl) {
      case "standard" -> 0;
      case "fifo-1" -> 1;
      case "fifo-1000" -> 1_000;
      default -> throw new IllegalArgumentException(
          "impl must be standard, fifo-1 or fifo-1000 but was " + impl);
    };
    OnSqlite p = new OnSqlite(Files.createTempDirectory("queues4j-sqlite-fifo-bench"),
        SqliteStore.Durability.valueOf(durability), groups);
    int count = Integer.getInteger(Fixtures.WARM_UP_PROPERTY, 20_000);
    long target = p.handled.get() + count;
    List<Order> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < count; i++) {
      // ids no producer thread uses (theirs start at thread << 40): a FIFO queue would take a
      // body sent again within its deduplication window as a duplicate, and store nothing
      batch.add(Order.of((1L << 55) + i, 0));
      if (batch.size() == BATCH || i == count - 1) {
        p.acquire(batch.size());
        p.sendBatch(batch);
        batch.clear();
      }
    }
    Fixtures.awaitAtLeast(p.handled::get, target, Duration.ofMinutes(2));
    pipeline = p;
  }

  /**
   * Stops the pipeline and deletes its database.
   *
   * @throws IllegalStateException if a send was taken as a duplicate (it would not be measured)
   */
  @TearDown(Level.Trial)
  public void tearDown() {
    OnSqlite p = pipeline();
    p.close();
    if (p.duplicates.get() > 0) {
      throw new IllegalStateException(p.duplicates.get() + " sends were duplicates");
    }
  }

  /**
   * Sends a batch of 100 and waits until it is committed.
   *
   * @param producer the thread's state
   * @return the send result, for the blackhole
   */
  @Benchmark
  @Threads(4)
  @OperationsPerInvocation(BATCH)
  public Object sendBatch_4threads(Producer producer) {
    OnSqlite p = pipeline();
    p.acquire(BATCH);
    return p.sendBatch(producer.nextBatch(BATCH));
  }

  OnSqlite pipeline() {
    OnSqlite p = pipeline;
    if (p == null) {
      throw new IllegalStateException("not set up");
    }
    return p;
  }

  /** The engine on a SQLite store, with a standard or a FIFO queue. */
  static final class OnSqlite extends SqlitePipelines.Windowed {
    private final Path dir;
    private final QueueEngine engine;
    private final List<Queue<Order>> queues = new ArrayList<>();
    private final AtomicLong next = new AtomicLong();
    /** Sends a FIFO queue took as duplicates: none expected, see {@link #setUp()}. */
    final AtomicLong duplicates = new AtomicLong();

    OnSqlite(Path dir, SqliteStore.Durability durability, int groups) {
      this.dir = dir;
      String name = groups == 0 ? "orders" : "orders.fifo";
      engine = QueueEngine.builder().objectMapper(Fixtures.MAPPER)
          .store(SqliteStore.builder(dir.resolve("queues.db")).durability(durability).open())
          .build();
      engine.declareQueue(name);
      engine.consume(name, Order.class, ConsumerSettings.builder().maxBatchSize(10)
          .maxBatchTimeout(Duration.ZERO).maxConcurrency(4).build(), (batch, ctx) -> {
            long sum = 0;
            for (Message<Order> message : batch.messages()) {
              sum += message.body().quantity();
            }
            synchronized (this) {
              checksum += sum;
            }
            handled(batch.messages().size());
          });
      if (groups == 0) {
        queues.add(engine.queue(name));
      }
      for (int g = 0; g < groups; g++) {
        queues.add(engine.<Order>fifoQueue(name).group("g" + g));
      }
    }

    @Override
    Object send(Order body) {
      return queue().send(body).join();
    }

    @Override
    Object sendBatch(List<Order> bodies) {
      List<MessageSendRequest<Order>> requests = new ArrayList<>(bodies.size());
      for (Order body : bodies) {
        requests.add(MessageSendRequest.of(body));
      }
      QueueSendResult result = queue().sendBatch(requests).join();
      duplicates.addAndGet(result.duplicateIds().size());
      handled(result.duplicateIds().size()); // never delivered: room in the window again
      return result;
    }

    private Queue<Order> queue() {
      return queues.get((int) (next.getAndIncrement() % queues.size()));
    }

    @Override
    public void close() {
      engine.shutdown(Duration.ofSeconds(10));
      SqlitePipelines.delete(dir);
    }
  }
}
