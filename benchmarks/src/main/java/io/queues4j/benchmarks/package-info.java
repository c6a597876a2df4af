/**
 * JMH benchmarks of the queues4j engine, each run beside a baseline that does only the physical
 * work (Jackson encode, an {@link java.util.concurrent.ArrayBlockingQueue} hand-off, Jackson decode
 * on another thread). See {@code docs/BENCHMARKS.md} for the command and the published figures.
 */
@NullMarked
package io.queues4j.benchmarks;

import org.jspecify.annotations.NullMarked;
