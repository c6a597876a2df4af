/**
 * The in-process Workers Queues engine.
 *
 * <p>{@link io.queues4j.core.QueueEngine} is the entry point: declare queues, bind producers,
 * attach consumers. Settings are immutable values built with builders ({@link
 * io.queues4j.core.ConsumerSettings}, {@link io.queues4j.core.QueueSettings}, {@link
 * io.queues4j.core.QueueLimits}); every other class in this package is an internal detail.
 *
 * <p>Conventions: null-marked; times are read from the engine's injected {@link
 * java.time.InstantSource} and timers go through its {@link io.queues4j.core.Scheduler}, so the
 * whole engine can run on virtual time; no engine lock is ever held while user code runs.
 */
@NullMarked
package io.queues4j.core;

import org.jspecify.annotations.NullMarked;
