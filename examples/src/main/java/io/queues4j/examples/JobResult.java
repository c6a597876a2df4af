package io.queues4j.examples;

/**
 * What the consumer writes to the key-value store for a finished job.
 *
 * @param jobId the job
 * @param output what the job produced
 * @param attempts the delivery attempt that succeeded, 1 for the first
 */
record JobResult(String jobId, String output, int attempts) {}
