package io.queues4j.examples;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The jobs demo's options, parsed by hand from {@code --name value} or {@code --name=value}.
 *
 * @param messages how many jobs to send
 * @param failureRate the chance that one attempt at a job fails transiently
 * @param batchSize the consumer's {@code maxBatchSize}
 * @param concurrency the consumer's {@code maxConcurrency}
 * @param maxRetries the consumer's {@code maxRetries}
 * @param seed the seed of the simulated failures: the same seed fails the same attempts
 * @param durable the SQLite database to keep the queues in, or {@code null} for the heap
 * @param stopAfter stop once this many jobs are acknowledged, leaving the rest in the database;
 *     0 to run until every job is accounted for
 * @param help whether {@code --help} was given
 */
record DemoOptions(
    int messages,
    double failureRate,
    int batchSize,
    int concurrency,
    int maxRetries,
    long seed,
    @Nullable Path durable,
    int stopAfter,
    boolean help) {

  /**
   * The most retries the demo allows: the poison job waits {@code 2^(maxRetries+1) - 2} seconds
   * in all, over eight minutes at 8, although the engine itself accepts up to 100.
   */
  static final int MAX_RETRIES = 8;

  static final DemoOptions DEFAULTS =
      new DemoOptions(10_000, 0.1, 10, 4, 3, 42, null, 0, false);

  /** The options that take a value. */
  private static final Set<String> OPTIONS =
      Set.of(
          "--messages", "--failure-rate", "--batch-size", "--concurrency", "--max-retries", "--seed",
          "--durable", "--stop-after");

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: java -jar examples/target/queues4j-demo.jar [options]",
          "",
          "Sends jobs to an in-process queue; a consumer runs them, writes results to a key-value",
          "store, retries transient failures with exponential backoff (2 s, 4 s, 8 s, ...) and",
          "leaves one poison job in the dead-letter queue. Exits 0 if every job is accounted for.",
          "",
          "Options:",
          "  --messages N       jobs to send, 1..1000000 (default 10000)",
          "  --failure-rate R   chance that one attempt fails transiently, 0..1 (default 0.1)",
          "  --batch-size N     consumer maxBatchSize, 1..100 (default 10)",
          "  --concurrency N    consumer maxConcurrency, 1..250 (default 4)",
          "  --max-retries N    consumer maxRetries, 0..8 (default 3; each retry doubles the wait)",
          "  --seed N           seed of the simulated failures (default 42)",
          "  --durable FILE     keep the queues in the SQLite database FILE: jobs a run leaves",
          "                     behind are delivered by the next run with the same FILE",
          "  --stop-after N     with --durable: stop once N jobs are acked, leaving the rest",
          "                     in FILE (as if the process were stopped)",
          "  --help             print this help and exit");

  /**
   * Parses the command line.
   *
   * @param args the arguments
   * @return the options, defaults filled in
   * @throws UsageException naming the offending option and value
   */
  static DemoOptions parse(String... args) throws UsageException {
    int messages = DEFAULTS.messages;
    double failureRate = DEFAULTS.failureRate;
    int batchSize = DEFAULTS.batchSize;
    int concurrency = DEFAULTS.concurrency;
    int maxRetries = DEFAULTS.maxRetries;
    long seed = DEFAULTS.seed;
    Path durable = null;
    int stopAfter = 0;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return DEFAULTS.withHelp();
      }
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      String name = eq >= 0 ? arg.substring(0, eq) : arg;
      if (!OPTIONS.contains(name)) {
        throw new UsageException("unknown option: " + name);
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException(arg + " needs a value");
      }
      switch (name) {
        case "--messages" -> messages = intIn(name, value, 1, 1_000_000);
        case "--failure-rate" -> failureRate = rateIn(name, value);
        case "--batch-size" -> batchSize = intIn(name, value, 1, 100);
        case "--concurrency" -> concurrency = intIn(name, value, 1, 250);
        case "--max-retries" -> maxRetries = intIn(name, value, 0, MAX_RETRIES);
        case "--seed" -> seed = longOf(name, value);
        case "--durable" -> durable = pathOf(name, value);
        case "--stop-after" -> stopAfter = intIn(name, value, 1, 1_000_000);
        default -> throw new IllegalStateException("option " + name + " is not handled");
      }
    }
    if (stopAfter > 0 && durable == null) {
      throw new UsageException(
          "--stop-after needs --durable: without a database the jobs left behind would be lost");
    }
    return new DemoOptions(
        messages, failureRate, batchSize, concurrency, maxRetries, seed, durable, stopAfter, false);
  }

  private DemoOptions withHelp() {
    return new DemoOptions(
        messages, failureRate, batchSize, concurrency, maxRetries, seed, durable, stopAfter, true);
  }

  /** Describes the run in one line, for the top of the demo's output. */
  String describe() {
    String line = String.format(
        Locale.ROOT,
        "%d jobs, failure rate %.0f%%, batch size %d, concurrency %d, max retries %d, seed %d",
        messages, failureRate * 100, batchSize, concurrency, maxRetries, seed);
    if (durable != null) {
      line += ", durable in " + durable;
    }
    return stopAfter > 0 ? line + ", stop after " + stopAfter + " acked" : line;
  }

  /**
   * Returns the total backoff the poison job waits through: {@code 2^attempts} seconds after each
   * failed attempt but the last, 2 + 4 + ... + 2^maxRetries s.
   */
  long poisonBackoffSeconds() {
    return (1L << (maxRetries + 1)) - 2;
  }

  private static int intIn(String name, String value, int min, int max) throws UsageException {
    try {
      int n = Integer.parseInt(value.replace("_", ""));
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(
        name + " must be an integer in [" + min + ", " + max + "] but was '" + value + "'");
  }

  private static double rateIn(String name, String value) throws UsageException {
    try {
      double r = Double.parseDouble(value);
      if (r >= 0 && r <= 1) {
        return r;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + " must be a number in [0, 1] but was '" + value + "'");
  }

  private static Path pathOf(String name, String value) throws UsageException {
    try {
      if (!value.isBlank()) {
        return Path.of(value);
      }
    } catch (java.nio.file.InvalidPathException e) {
      // reported below
    }
    throw new UsageException(name + " must be a file name but was '" + value + "'");
  }

  private static long longOf(String name, String value) throws UsageException {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be an integer but was '" + value + "'");
    }
  }
}
