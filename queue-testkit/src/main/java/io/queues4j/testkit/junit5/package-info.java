/**
 * Optional JUnit 5 glue: {@link io.queues4j.testkit.junit5.QueueTestKitExtension} creates a
 * {@link io.queues4j.testkit.QueueTestKit} per test and closes it afterwards. Needs {@code
 * junit-jupiter-api} on the test class path; the rest of the testkit does not.
 */
@NullMarked
package io.queues4j.testkit.junit5;

import org.jspecify.annotations.NullMarked;
