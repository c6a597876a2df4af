package io.queues4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Proves the SQLite benchmarks still run, engine, floor and ceiling, both durabilities: in this
 * JVM, no warm-up, one 100 ms iteration. Its figures mean nothing.
 */
class SqliteBenchmarksSmokeTest {

  @BeforeAll
  static void configure() {
    System.setProperty("jmh.ignoreLock", "true");
    System.setProperty(Fixtures.WARM_UP_PROPERTY, "1000");
  }

  private static Collection<RunResult> run(Class<?> benchmark) throws RunnerException {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include("\\." + benchmark.getSimpleName() + "\\.")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(100))
        .timeout(TimeValue.seconds(60))
        .verbosity(VerboseMode.SILENT)
        .build()).run();
    for (RunResult result : results) {
      assertThat(result.getPrimaryResult().getScore())
          .as(result.getParams().getBenchmark() + " " + result.getParams().getParam("impl")
              + " " + result.getParams().getParam("durability"))
          .isPositive();
    }
    return results;
  }

  @Test
  void endToEnd() throws RunnerException {
    assertThat(run(SqliteEndToEndBatchBenchmark.class)).hasSize(12); // 2 methods x 3 x 2
  }

  @Test
  void sendFromSixtyFourThreads() throws RunnerException {
    assertThat(run(SqliteSendBenchmark.class)).hasSize(4);
  }
}
