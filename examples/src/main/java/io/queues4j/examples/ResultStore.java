package io.queues4j.examples;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;

/**
 * The key-value store where the consumer writes job results, in the role of the seed's KV binding;
 * an in-process Caffeine cache here. A real deployment would put Redis, a database table or a
 * Workers KV namespace behind the same two methods. Thread-safe.
 */
final class ResultStore {
  private final Cache<String, JobResult> results = Caffeine.newBuilder().build();

  /** Stores the result of a job under {@code job:<id>}; a redelivered job overwrites it. */
  void put(JobResult result) {
    results.put(key(result.jobId()), result);
  }

  Optional<JobResult> get(String jobId) {
    return Optional.ofNullable(results.getIfPresent(key(jobId)));
  }

  long size() {
    return results.asMap().size();
  }

  private static String key(String jobId) {
    return "job:" + jobId;
  }
}
