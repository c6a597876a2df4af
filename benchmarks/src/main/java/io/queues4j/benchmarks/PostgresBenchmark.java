package io.queues4j.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.QueueContentType;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import io.queues4j.postgres.PostgresStore;
import io.queues4j.spi.Claim;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.Settlement;
import io.queues4j.spi.StoredMessage;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The PostgreSQL store against its floor, all in one run on one embedded PostgreSQL server (so
 * the ratios compare like with like): raw JDBC insert/claim/delete of 100 ({@link PostgresFloor}),
 * end-to-end {@code sendBatch(100)} through 1, 2 and 4 engines sharing the queue, send-to-handler
 * latency at a paced 1,000 msg/s (consumer on another engine, woken by {@code NOTIFY}, and on the
 * same engine), dead rows in the table under load, and a claim on a backlog of a million rows.
 *
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.queues4j.benchmarks.PostgresBenchmark \
 *     [--seconds 10] [--synchronous-commit on] [--autovacuum-naptime 10s] \
 *     [--only floor,shared,latency,backlog] \
 *     [--out docs/postgres-benchmarks.json] \
 *     [--chart docs/postgres-benchmarks.png]
 * }</pre>
 */
public final class PostgresBenchmark {
  private final Map<String, Double> results = new LinkedHashMap<>();
  private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
  private final int seconds;
  private final int warmUp;
  private int schemas;
  private HikariDataSource pool = new HikariDataSource();

  private final List<String> only;

  private PostgresBenchmark(int seconds, List<String> only) {
    this.seconds = seconds;
    this.only = only;
    this.warmUp = Math.max(2, seconds / 3);
  }

  /**
   * Runs every scenario and writes the results.
   *
   * @param args {@code --seconds}, {@code --synchronous-commit}, {@code --out}, {@code --chart}
   * @throws Exception if a scenario fails
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("--seconds", "10");
    options.put("--synchronous-commit", "on");
    options.put("--autovacuum-naptime", "10s");
    options.put("--only", "floor,shared,latency,backlog");
    options.put("--out", "docs/postgres-benchmarks.json");
    options.put("--chart", "docs/postgres-benchmarks.png");
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    PostgresBenchmark bench = new PostgresBenchmark(Integer.parseInt(options.get("--seconds")),
        List.of(options.get("--only").split(",", -1)));
    File work = new File("target", "postgres-benchmark");
    try (EmbeddedPostgres server = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(work)
        .setDataDirectory(new File(work, "data-" + ProcessHandle.current().pid()))
        .setCleanDataDirectory(true)
        .setServerConfig("synchronous_commit", options.get("--synchronous-commit"))
        .setServerConfig("max_connections", "200")
        .setServerConfig("autovacuum_naptime", options.get("--autovacuum-naptime"))
        .setServerConfig("shared_buffers", "256MB")
        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(new File(work, "postgres.log")))
        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(new File(work, "postgres.log")))
        .start()) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
      config.setMaximumPoolSize(60);
      bench.pool = new HikariDataSource(config);
      bench.out.println("PostgreSQL " + bench.query("SHOW server_version") + ", synchronous_commit="
          + bench.query("SHOW synchronous_commit") + ", autovacuum_naptime="
          + bench.query("SHOW autovacuum_naptime") + ", " + Runtime.getRuntime()
          .availableProcessors() + " cores, " + bench.seconds + " s per figure");
      bench.runAll();
      bench.pool.close();
    }
    bench.report(Path.of(options.get("--out")), Path.of(options.get("--chart")));
  }

  private String query(String sql) throws Exception {
    try (Connection c = pool.getConnection();
        PreparedStatement st = c.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  private void runAll() throws Exception {
    if (only.contains("floor")) {
      floor(1);
      floor(2);
    }
    if (only.contains("shared")) {
      for (int engines : new int[] {1, 2, 4}) {
        shared(engines);
      }
    }
    if (only.contains("latency")) {
      latency(true);
      latency(false);
    }
    if (only.contains("backlog")) {
      backlog(1_000);
      backlog(1_000_000);
    }
  }

  private void record(String name, double value) {
    results.put(name, value);
    out.printf(Locale.ROOT, "  %-44s %,14.1f%n", name, value);
  }

  // ---- the floor ----

  private void floor(int threads) throws Exception {
    PostgresFloor floor = new PostgresFloor(pool);
    AtomicLong messages = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      runs.add(CompletableFuture.runAsync(() -> {
        try {
          floor.run(messages, stop::get);
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      }, r -> new Thread(r, "floor").start()));
    }
    double rate = measure(messages);
    stop.set(true);
    for (CompletableFuture<Void> run : runs) {
      run.join();
    }
    record("floor " + threads + " connection" + (threads > 1 ? "s" : "") + " (msg/s)", rate);
  }

  /** Waits out the warm-up, then returns the rate of {@code counter} over the measurement. */
  private double measure(AtomicLong counter) {
    pause(Duration.ofSeconds(warmUp));
    long start = System.nanoTime();
    long before = counter.get();
    pause(Duration.ofSeconds(seconds));
    long after = counter.get();
    return (after - before) * 1e9 / (System.nanoTime() - start);
  }

  private static void pause(Duration d) {
    long deadline = System.nanoTime() + d.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  private PostgresStore store(String schema) {
    return PostgresStore.builder(pool).schema(schema).build();
  }

  private String schema() {
    schemas++;
    return "bench_" + schemas;
  }

  // ---- end to end, 1..n engines ----

  private void shared(int count) throws Exception {
    String schema = schema();
    List<QueueEngine> engines = new ArrayList<>();
    AtomicLong handled = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Semaphore window = new Semaphore(Fixtures.WINDOW);
    ConsumerSettings settings = ConsumerSettings.builder().maxBatchSize(100)
        .maxBatchTimeout(Duration.ZERO).maxConcurrency(Integer.getInteger("concurrency", 4)).build();
    for (int i = 0; i < count; i++) {
      QueueEngine engine = QueueEngine.builder().store(store(schema)).build();
      engine.declareQueue("bench");
      engine.consume("bench", Order.class, settings, (batch, ctx) -> {
        long sum = 0;
        for (Message<Order> m : batch.messages()) {
          sum += m.body().quantity();
        }
        handled.addAndGet(batch.messages().size());
        window.release(batch.messages().size());
        if (sum < 0) {
          throw new IllegalStateException();
        }
      });
      engines.add(engine);
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong sent = new AtomicLong();
    List<Thread> producers = new ArrayList<>();
    for (QueueEngine engine : engines) {
      Queue<Order> queue = engine.queue("bench");
      Thread producer = new Thread(() -> {
        long id = 0;
        while (!stop.get()) {
          window.acquireUninterruptibly(100);
          List<MessageSendRequest<Order>> batch = new ArrayList<>(100);
          for (int j = 0; j < 100; j++) {
            batch.add(MessageSendRequest.of(Order.of(id++, 0)));
          }
          sent.addAndGet(100);
          var unused = queue.sendBatch(batch).whenComplete((r, e) -> {
            if (e != null) {
              failed.incrementAndGet();
              window.release(100);
              sent.addAndGet(-100);
            }
          });
        }
      }, "producer");
      producers.add(producer);
    }
    TupleSampler sampler = new TupleSampler(schema);
    producers.forEach(Thread::start);
    sampler.start();
    double rate = measure(handled);
    stop.set(true);
    for (Thread p : producers) {
      p.join();
    }
    Fixtures.awaitAtLeast(handled::get, sent.get(), Duration.ofSeconds(60));
    sampler.stop();
    for (QueueEngine engine : engines) {
      engine.close();
    }
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " sends failed");
    }
    record("sendBatch(100) end to end, " + count + " engine" + (count > 1 ? "s" : "")
        + " (msg/s)", rate);
    if (count == 1) {
      record("  dead rows in messages, most seen", sampler.maxDead);
      record("  live rows in messages, most seen", sampler.maxLive);
      record("  autovacuum runs on messages", sampler.autovacuums);
    }
  }

  /** Samples pg_stat_user_tables for the messages table once a second. */
  private final class TupleSampler {
    private final String schema;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    double maxDead;
    double maxLive;
    double autovacuums;

    TupleSampler(String schema) {
      this.schema = schema;
      this.thread = new Thread(this::run, "tuple-sampler");
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join();
      sample();
    }

    private void run() {
      while (!stop.get()) {
        sample();
        pause(Duration.ofSeconds(1));
      }
    }

    private void sample() {
      try (Connection c = pool.getConnection();
          PreparedStatement st = c.prepareStatement("SELECT n_live_tup, n_dead_tup,"
              + " autovacuum_count FROM pg_stat_user_tables WHERE schemaname = ?"
              + " AND relname = 'messages'")) {
        st.setString(1, schema);
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next()) {
            maxLive = Math.max(maxLive, (double) rs.getLong(1));
            maxDead = Math.max(maxDead, (double) rs.getLong(2));
            autovacuums = rs.getLong(3);
          }
        }
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  // ---- latency ----

  private void latency(boolean acrossEngines) throws Exception {
    String schema = schema();
    QueueEngine consumer = QueueEngine.builder().store(store(schema)).build();
    QueueEngine producer = acrossEngines
        ? QueueEngine.builder().store(store(schema)).build()
        : consumer;
    consumer.declareQueue("ping");
    producer.declareQueue("ping");
    int rate = 1_000;
    int total = (warmUp + seconds) * rate;
    long[] latencies = new long[total];
    AtomicLong received = new AtomicLong();
    consumer.consume("ping", Order.class, ConsumerSettings.builder().maxBatchSize(10)
        .maxBatchTimeout(Duration.ZERO).maxConcurrency(4).build(), (batch, ctx) -> {
          long now = System.nanoTime();
          for (Message<Order> m : batch.messages()) {
            latencies[(int) m.body().id()] = now - m.body().sentNanos();
          }
          received.addAndGet(batch.messages().size());
        });
    Queue<Order> ping = producer.queue("ping");
    long start = System.nanoTime() + 100_000_000;
    for (int i = 0; i < total; i++) {
      long due = start + i * (1_000_000_000L / rate);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(Math.min(wait, 200_000));
      }
      var unused = ping.send(Order.of(i, due)); // measured from the scheduled time: no coordinated omission
    }
    Fixtures.awaitAtLeast(received::get, total, Duration.ofSeconds(60));
    if (producer != consumer) {
      producer.close();
    }
    consumer.close();
    long[] measured = Arrays.copyOfRange(latencies, warmUp * rate, total);
    Arrays.sort(measured);
    String where = acrossEngines ? "other engine (NOTIFY)" : "same engine";
    record("latency p50 at 1,000 msg/s, " + where + " (ms)", percentile(measured, 0.50));
    record("latency p99 at 1,000 msg/s, " + where + " (ms)", percentile(measured, 0.99));
    record("latency p99.9 at 1,000 msg/s, " + where + " (ms)", percentile(measured, 0.999));
  }

  private static double percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  // ---- a large backlog ----

  private void backlog(int size) throws Exception {
    String schema = schema();
    long now = System.currentTimeMillis();
    try (PostgresStore store = store(schema)) {
      QueueStore q = store.queue("deep");
      byte[] body = Fixtures.MAPPER.writeValueAsBytes(Order.of(1, 0));
      List<CompletableFuture<Void>> adds = new ArrayList<>();
      long id = 0;
      for (int i = 0; i < size; i += 1_000) {
        List<StoredMessage> batch = new ArrayList<>(1_000);
        for (int j = 0; j < 1_000 && i + j < size; j++) {
          long n = ++id;
          // half ready, half delayed by up to a day: a claim must skip the delayed ones
          long visible = n % 2 == 0 ? now - 1_000 : now + 60_000 + n % 86_400_000;
          batch.add(StoredMessage.of(42, n, now - 1_000, body, QueueContentType.JSON, visible, 0));
        }
        adds.add(q.add(batch).toCompletableFuture());
        if (adds.size() >= 16) {
          adds.remove(0).join();
        }
      }
      adds.forEach(CompletableFuture::join);
      try (Connection c = pool.getConnection();
          PreparedStatement st = c.prepareStatement("VACUUM ANALYZE " + schema + ".messages")) {
        st.execute();
      }
      int rounds = 200;
      long begin = System.nanoTime();
      for (int r = 0; r < rounds; r++) {
        List<Claim> claims = q.claim(100, now, now + 600_000).toCompletableFuture().join()
            .claims();
        List<Settlement> done = new ArrayList<>();
        for (Claim c : claims) {
          done.add(new Settlement.Delete(c));
        }
        if (!done.isEmpty()) {
          q.settle(done).toCompletableFuture().join();
        }
      }
      double perRound = (System.nanoTime() - begin) / 1e6 / rounds;
      String rows = String.format(Locale.ROOT, "%,d", size);
      record("claim 100 + delete 100, backlog " + rows + " rows (ms)", perRound);
    }
  }

  // ---- output ----

  private void report(Path json, Path chart) throws Exception {
    Files.createDirectories(json.toAbsolutePath().getParent());
    Files.writeString(json, Fixtures.MAPPER.writerWithDefaultPrettyPrinter()
        .writeValueAsString(results));
    double floor = Math.max(results.getOrDefault("floor 1 connection (msg/s)", 1.0),
        results.getOrDefault("floor 2 connections (msg/s)", 1.0));
    double one = results.getOrDefault("sendBatch(100) end to end, 1 engine (msg/s)", 0.0);
    double four = results.getOrDefault("sendBatch(100) end to end, 4 engines (msg/s)", 0.0);
    out.printf(Locale.ROOT, "%nend to end / best floor: %.2f; 4 engines / 1 engine: %.2f%n",
        one / floor, four / one);
    PostgresChart.render(results, floor, chart);
  }
}
