/**
 * The storage SPI: what a message store implements so that a {@link
 * io.queues4j.core.QueueEngine} keeps its queues somewhere other than the heap (an embedded
 * database, PostgreSQL shared by many engines, ...). Users pick a store with {@code
 * QueueEngine.builder().store(...)}; only store authors need this package.
 *
 * <p>The contract, in short (docs/STORAGE.md has it in full):
 *
 * <ul>
 *   <li>A {@link io.queues4j.spi.MessageStore} hands out one {@link io.queues4j.spi.QueueStore}
 *       per queue. Every operation of a queue store that touches storage returns a {@link
 *       java.util.concurrent.CompletionStage}, may complete on a thread of the store's own, and
 *       applies all of its messages or none: a batch of sends, a batch of settlements (one
 *       transaction can cover many messages), a claim.
 *   <li>The engine never calls a store while holding an engine lock, except {@link
 *       io.queues4j.spi.QueueStore#metrics()}, which must not block.
 *   <li>A message is <em>ready</em> (visible, not claimed), <em>delayed</em> (visible later),
 *       <em>claimed</em> (delivered, awaiting settlement) or <em>held</em> (a dead letter of a
 *       queue that has no consumer). Claims count a delivery attempt and carry a lease.
 * </ul>
 *
 * <p>The abstract contract tests in the {@code queue-store-tck} module check a store against this
 * contract; every store in this project passes them.
 */
@NullMarked
package io.queues4j.spi;

import org.jspecify.annotations.NullMarked;
