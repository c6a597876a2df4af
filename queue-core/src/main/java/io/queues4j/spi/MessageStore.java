package io.queues4j.spi;

import io.queues4j.QueueMetrics;
import java.util.Map;

/**
 * Where an engine keeps its messages. Pass one to {@code QueueEngine.builder().store(...)}; the
 * engine {@linkplain #close() closes} it when the engine closes. One store serves one engine,
 * unless the implementation says it may be shared (a database several engines use at once).
 *
 * <p><b>Thread-safety:</b> implementations must be thread-safe. The engine never calls a store
 * while holding one of its locks, except {@link QueueStore#metrics()}.
 *
 * <p><b>Recovery:</b> a durable store, when opened, makes every message that was claimed by a
 * process that is gone deliverable again (its next claim counts an attempt). A store shared by
 * several live engines does so when a claim's lease ends instead.
 */
public interface MessageStore extends AutoCloseable {

  /**
   * Returns the storage of one queue, creating it if needed. Called once per queue per engine,
   * when the queue is declared (or first used as a dead-letter queue); it may do I/O.
   *
   * @param queue the queue name
   * @return the queue's storage; the same instance for the same name
   * @throws StoreException if the storage cannot be opened
   */
  QueueStore queue(String queue);

  /**
   * Returns every queue that holds messages, with its metrics: what the engine reports at start
   * for queues nobody has declared yet, so that nothing kept in a store goes unnoticed.
   *
   * @return queue name to metrics; empty if the store holds nothing
   * @throws StoreException if the store cannot be read
   */
  Map<String, QueueMetrics> storedQueues();

  /**
   * Tells whether messages live in the JVM's heap, so that the engine's backlog memory budget
   * must apply to them. Durable stores return {@code false}: their backlog is bounded by disk, not
   * by heap.
   *
   * @return whether the backlog is in the heap
   */
  boolean heapResident();

  /**
   * Tells whether a message sent before the process ends is still there after a restart.
   *
   * @return whether the store is durable
   */
  boolean durable();

  /**
   * Closes the store: waits for operations in progress, then releases files, connections and
   * threads. Operations called afterwards fail with {@link StoreException}.
   */
  @Override
  void close();
}
