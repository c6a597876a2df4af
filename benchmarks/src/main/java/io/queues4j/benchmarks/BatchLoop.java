package io.queues4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * A plain loop of {@code sendBatch(100)} through one of {@link EndToEndBatchBenchmark}'s pipelines,
 * for A/B runs outside JMH: prints each round's end-to-end rate and the CPU time per message of
 * each busy thread other than the producer. With one consumer thread decoding, the consumer is
 * the bottleneck, so its nanoseconds per message are the figure to compare: steadier than a rate
 * on a shared machine. Not a benchmark of record: compare alternating runs of two builds.
 *
 * <pre>{@code
 * java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar io.queues4j.benchmarks.BatchLoop engine 2000000 4
 * }</pre>
 *
 * <p>Arguments: the pipeline ({@code engine}, {@code baseline}), messages per round, rounds.
 */
public final class BatchLoop {
  private BatchLoop() {}

  /**
   * Runs the loop.
   *
   * @param args pipeline, messages per round, rounds
   */
  public static void main(String[] args) {
    String impl = args.length > 0 ? args[0] : "engine";
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int batch = EndToEndBatchBenchmark.BATCH;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (Pipeline pipeline = Pipeline.create(impl, batch)) {
      pipeline.warmUp(Fixtures.WARM_UP);
      Producer producer = new Producer();
      for (int round = 0; round < rounds; round++) {
        long handled = pipeline.handled.get();
        Map<String, Long> before = cpuByThread(threads);
        long start = System.nanoTime();
        for (int sent = 0; sent < messages; sent += batch) {
          producer.acquire(pipeline, batch);
          pipeline.sendBatch(producer.nextBatch(batch));
        }
        while (pipeline.handled.get() - handled < messages) {
          Thread.onSpinWait();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        StringBuilder busy = new StringBuilder();
        for (Map.Entry<String, Long> e : cpuByThread(threads).entrySet()) {
          double perMessage = (e.getValue() - before.getOrDefault(e.getKey(), 0L))
              / (double) messages;
          if (perMessage >= 20 && !e.getKey().equals(Thread.currentThread().getName())) {
            busy.append(String.format(", %s %,.0f ns/msg", e.getKey(), perMessage));
          }
        }
        System.out.printf("%s round %d: %,.0f msg/s%s%n", impl, round, messages / seconds, busy);
      }
    }
  }

  /** CPU time so far of each live thread, by name. */
  private static Map<String, Long> cpuByThread(ThreadMXBean threads) {
    Map<String, Long> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long nanos = threads.getThreadCpuTime(info.getThreadId());
        if (nanos > 0) {
          cpu.merge(info.getThreadName(), nanos, Long::sum);
        }
      }
    }
    return cpu;
  }
}
