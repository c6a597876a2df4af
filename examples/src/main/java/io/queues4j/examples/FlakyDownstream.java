package io.queues4j.examples;

import java.util.SplittableRandom;

/**
 * The external system the jobs talk to, simulated: each attempt fails transiently with a given
 * probability, and the poison job fails every time.
 *
 * <p>Whether an attempt fails depends only on the seed, the job and the attempt number, not on
 * timing or threads, so a run with the same options fails the same attempts. Thread-safe.
 */
final class FlakyDownstream {
  private final double failureRate;
  private final long seed;

  FlakyDownstream(double failureRate, long seed) {
    this.failureRate = failureRate;
    this.seed = seed;
  }

  /**
   * Runs one attempt at a job.
   *
   * @return the job's output
   * @throws JobFailedException if this attempt fails
   */
  String run(Job job, int attempt) throws JobFailedException {
    if (job.task().equals(Job.POISON_TASK)) {
      throw new JobFailedException("corrupt input in " + job.id() + ": cannot parse line 1");
    }
    double draw = new SplittableRandom(31 * (31 * seed + job.number()) + attempt).nextDouble();
    if (draw < failureRate) {
      throw new JobFailedException("503 Service Unavailable from " + job.task());
    }
    return job.task() + " done";
  }
}
