/**
 * Abstract JUnit Jupiter tests of the storage SPI: {@link io.queues4j.tck.MessageStoreContract}
 * for every store, {@link io.queues4j.tck.DurableStoreContract} for stores that survive a restart.
 * Extend one with a factory of your store; every test must pass.
 */
@NullMarked
package io.queues4j.tck;

import org.jspecify.annotations.NullMarked;
