/** Tests that run each example program in process and check what it prints. */
@NullMarked
package io.queues4j.examples;

import org.jspecify.annotations.NullMarked;
