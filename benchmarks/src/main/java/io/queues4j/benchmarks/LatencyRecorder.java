package io.queues4j.benchmarks;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records send-to-handler latencies in nanoseconds into a preallocated array, for exact
 * percentiles without HdrHistogram. Written by the consumer (one thread at a time), read after the
 * producer has seen {@link #count()} reach what it sent.
 */
final class LatencyRecorder {
  private final long[] samples;
  private final AtomicLong count = new AtomicLong();

  LatencyRecorder(int capacity) {
    this.samples = new long[capacity];
  }

  /** Records one latency; beyond capacity, counts it only. */
  void record(long nanos) {
    long i = count.getAndIncrement();
    if (i < samples.length) {
      samples[(int) i] = nanos;
    }
  }

  long count() {
    return count.get();
  }

  void reset() {
    count.set(0);
  }

  /**
   * Returns the given percentiles of what was recorded since the last reset, in nanoseconds.
   *
   * @param percentiles each in (0, 100]
   */
  long[] percentiles(double... percentiles) {
    int n = (int) Math.min(count.get(), samples.length);
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    long[] result = new long[percentiles.length];
    for (int i = 0; i < percentiles.length; i++) {
      if (n == 0) {
        result[i] = 0;
      } else {
        int rank = (int) Math.ceil(percentiles[i] / 100.0 * n) - 1;
        result[i] = sorted[Math.max(0, Math.min(n - 1, rank))];
      }
    }
    return result;
  }
}
