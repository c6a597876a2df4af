package io.queues4j.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * A plain loop of single sends through one of the JMH pipelines, for quick A/B runs and profiles
 * outside JMH: prints each round's end-to-end rate and the process's CPU time per message. The
 * producer keeps within the benchmarks' window of the consumer, as in {@link
 * EndToEndSendBenchmark}. Not a benchmark of record: compare alternating runs of two builds.
 *
 * <pre>{@code
 * java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar io.queues4j.benchmarks.SendLoop engine 400000 6
 * }</pre>
 *
 * <p>Arguments: the pipeline ({@code engine}, {@code baseline}, {@code standard}, {@code fifo-1},
 * {@code fifo-1000}, {@code fifo-1000-ids}), messages per round, rounds.
 */
public final class SendLoop {
  private SendLoop() {}

  /**
   * Runs the loop.
   *
   * @param args pipeline, messages per round, rounds
   */
  public static void main(String[] args) {
    String impl = args.length > 0 ? args[0] : "engine";
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 400_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    var os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    try (Pipeline pipeline = Pipeline.create(impl, EndToEndSendBenchmark.MAX_BATCH_SIZE)) {
      pipeline.warmUp(Fixtures.WARM_UP);
      Producer producer = new Producer();
      for (int round = 0; round < rounds; round++) {
        long handled = pipeline.handled.get();
        long start = System.nanoTime();
        long cpu = os.getProcessCpuTime();
        for (int i = 0; i < messages; i++) {
          producer.acquire(pipeline, 1);
          pipeline.send(producer.next());
        }
        while (pipeline.handled.get() - handled < messages) {
          Thread.onSpinWait();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s round %d: %,.0f msg/s, %,.0f ns of CPU per message%n", impl, round,
            messages / seconds, (os.getProcessCpuTime() - cpu) / (double) messages);
      }
    }
  }
}
