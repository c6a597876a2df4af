package io.queues4j.examples;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Measures each job's time from send to acknowledgement, retries and backoff included, and
 * reports percentiles. Thread-safe.
 */
final class LatencyRecorder {
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();

  /** Notes that {@code jobId} is about to be sent. */
  void sent(String jobId) {
    sentAt.put(jobId, System.nanoTime());
  }

  /** Notes that {@code jobId} was acknowledged; an acknowledgement of an unknown job is ignored. */
  void acked(String jobId) {
    Long start = sentAt.remove(jobId);
    if (start != null) {
      latencies.add(System.nanoTime() - start);
    }
  }

  /** Returns the percentiles of the latencies recorded so far. */
  Percentiles percentiles() {
    long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return new Percentiles(sorted);
  }

  /** Nearest-rank percentiles of a sorted sample of nanosecond latencies. */
  static final class Percentiles {
    private final long[] sorted;

    private Percentiles(long[] sorted) {
      this.sorted = sorted;
    }

    int count() {
      return sorted.length;
    }

    /** Returns the {@code q} quantile in milliseconds ({@code q = 0.99} for p99); 0 if empty. */
    double millis(double q) {
      if (sorted.length == 0) {
        return 0;
      }
      int rank = (int) Math.ceil(q * sorted.length);
      return sorted[Math.max(0, rank - 1)] / 1e6;
    }
  }
}
