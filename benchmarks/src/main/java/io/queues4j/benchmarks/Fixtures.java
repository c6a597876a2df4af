package io.queues4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** What every benchmark shares: the one Jackson mapper, the window, and waiting helpers. */
final class Fixtures {
  /**
   * The mapper both the engine and the baselines encode and decode with, so that the codec cost
   * is identical on both sides.
   */
  static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The most messages a producer may have sent but not yet seen handled. The engine has no
   * back-pressure, so without a window a producer faster than the consumer would grow the backlog
   * (and the heap) without bound; the baselines get the same window so that the flow control is
   * identical on both sides. 16,384 messages is 16 ms of work at 1M msg/s: small against a 2 s
   * iteration (under 1% error between sent and handled rates), large enough to keep both
   * threads busy.
   */
  static final int WINDOW = 16_384;

  /** How many sends a producer reserves from the window at once, to touch shared state rarely. */
  static final int CREDITS = 256;

  /** System property: how many messages a throughput benchmark sends to warm up its pipeline. */
  static final String WARM_UP_PROPERTY = "queues4j.bench.warmUp";

  /** Messages each throughput benchmark sends (one by one, waiting for all) before measuring. */
  static final int WARM_UP = Integer.getInteger(WARM_UP_PROPERTY, 200_000);

  /** The mean JSON size of {@link Order} bodies, measured once. */
  static final int BODY_BYTES = meanBodyBytes();

  private Fixtures() {}

  /**
   * Spins (yielding the CPU) until {@code value} reaches {@code target}.
   *
   * @throws IllegalStateException if it does not within {@code timeout}; a benchmark must fail
   *     loudly rather than report the figures of a lost message
   */
  static void awaitAtLeast(LongSupplier value, long target, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (value.getAsLong() < target) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "timed out after " + timeout + " waiting for " + target + ", at " + value.getAsLong());
      }
      relax();
    }
  }

  /**
   * Gives the CPU away while waiting. On two cores a waiting producer must let the consumer run,
   * and a park/unpark pair would add wake-up latency to both engine and baseline alike; yielding
   * is the cheapest fair choice here, whatever Error Prone thinks of it in production code.
   */
  @SuppressWarnings("ThreadPriorityCheck")
  static void relax() {
    Thread.yield();
  }

  /** Reserves {@link #CREDITS} sends, waiting while more than {@link #WINDOW} are outstanding. */
  static void reserve(AtomicLong sent, AtomicLong handled) {
    long total = sent.addAndGet(CREDITS);
    while (total - handled.get() > WINDOW) {
      relax();
    }
  }

  private static int meanBodyBytes() {
    try {
      long total = 0;
      for (int i = 0; i < 1000; i++) {
        total += MAPPER.writeValueAsBytes(Order.of(i * 7919L, System.nanoTime())).length;
      }
      return (int) (total / 1000);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
