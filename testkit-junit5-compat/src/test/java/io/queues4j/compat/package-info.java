/**
 * Tests written the way a JUnit 5 user writes them, run on JUnit Jupiter 5.11 to prove that
 * {@code io.queues4j.testkit.junit5} works on it.
 */
@NullMarked
package io.queues4j.compat;

import org.jspecify.annotations.NullMarked;
