/**
 * Deterministic tests for queue code, on the real engine.
 *
 * <ul>
 *   <li>{@link io.queues4j.testkit.QueueTestKit}: the engine on a {@link
 *       io.queues4j.testkit.ManualClock} with same-thread delivery; time moves only in {@code
 *       advance} and {@code runUntilIdle}, and every send, delivery and outcome is recorded in its
 *       {@link io.queues4j.testkit.QueueHistory}. Strict by default: closing it with messages
 *       still queued or in flight fails.
 *   <li>{@link io.queues4j.testkit.BatchRunner}: runs one handler on one hand-built {@link
 *       io.queues4j.testkit.TestBatch} and reports what the engine would do with each message.
 *   <li>{@link io.queues4j.testkit.FakeQueue}: a producer-only {@link io.queues4j.Queue} that
 *       records what was sent, validates exactly as the engine does, and can be told to fail.
 * </ul>
 *
 * <p>Conventions: results are immutable records that any assertion library can inspect; nothing
 * here depends on a test framework. Times are on the harness clock, at millisecond resolution.
 * Every reference is non-null unless annotated otherwise.
 */
@NullMarked
package io.queues4j.testkit;

import org.jspecify.annotations.NullMarked;
