package io.queues4j.benchmarks;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Proves every benchmark still runs, engine and baseline: in this JVM ({@code forks 0}), no
 * warm-up, one 100 ms iteration, small backlogs. Its figures mean nothing.
 */
class BenchmarksSmokeTest {

  @BeforeAll
  static void configure() {
    System.setProperty("jmh.ignoreLock", "true");
    System.setProperty(Fixtures.WARM_UP_PROPERTY, "1000");
  }

  private static Collection<RunResult> run(Class<?> benchmark, String... params)
      throws RunnerException {
    OptionsBuilder options = new OptionsBuilder();
    options
        .include("\\." + benchmark.getSimpleName() + "\\.")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(100))
        .timeout(TimeValue.seconds(60))
        .verbosity(VerboseMode.SILENT);
    for (int i = 0; i < params.length; i += 2) {
      options.param(params[i], params[i + 1]);
    }
    Options built = options.build();
    Collection<RunResult> results = new Runner(built).run();
    assertThat(results).isNotEmpty();
    for (RunResult result : results) {
      assertThat(result.getPrimaryResult().getScore())
          .as(result.getParams().getBenchmark() + " " + result.getParams().getParam("impl"))
          .isPositive();
    }
    return results;
  }

  @Test
  void send() throws RunnerException {
    assertThat(run(SendBenchmark.class)).hasSize(4);
  }

  @Test
  void endToEnd() throws RunnerException {
    assertThat(run(EndToEndBatchBenchmark.class)).hasSize(2);
    assertThat(run(EndToEndSendBenchmark.class)).hasSize(2);
  }

  @Test
  void latency() throws RunnerException {
    Collection<RunResult> results = run(LatencyBenchmark.class, "rate", "20000");
    for (RunResult result : results) {
      assertThat(result.getSecondaryResults()).containsKeys("p50", "p99", "p999");
      Result<?> p99 = requireNonNull(result.getSecondaryResults().get("p99"));
      assertThat(p99.getScore()).isPositive();
    }
  }

  @Test
  void backlog() throws RunnerException {
    Collection<RunResult> results = run(BacklogBenchmark.class, "backlog", "2000");
    assertThat(results).hasSize(6);
  }

  @Test
  void retryChurn() throws RunnerException {
    assertThat(run(RetryChurnBenchmark.class)).hasSize(2);
    assertThat(run(FifoBenchmark.class))
        .as("standard, one group, 1,000 groups, 1,000 groups with ids").hasSize(4);
  }

  @Test
  void orderBodiesAreAbout100Bytes() {
    assertThat(Fixtures.BODY_BYTES).isBetween(80, 130);
    assertThat(TimeUnit.SECONDS.toMillis(BacklogBenchmark.MAX_DELAY_SECONDS)).isPositive();
  }
}
