package io.queues4j.core;

import io.queues4j.QueueMetrics;
import io.queues4j.spi.MessageStore;
import io.queues4j.spi.QueueStore;
import io.queues4j.spi.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link MessageStore}: every message in the JVM's heap, nothing survives the process.
 * Operations complete before they return, on the caller's thread. Fast: about 70 bytes of heap per
 * queued message beyond its body, O(log n) per delayed message, O(1) per ready one.
 *
 * <p>Thread-safe: each queue has its own lock, held only for the store's own bookkeeping.
 */
public final class InMemoryStore implements MessageStore {
  private final ConcurrentHashMap<String, InMemoryQueueStore> queues = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private InMemoryStore() {}

  /**
   * Creates an empty store.
   *
   * @return a new store
   */
  public static InMemoryStore create() {
    return new InMemoryStore();
  }

  @Override
  public QueueStore queue(String queue) {
    if (closed) {
      throw new StoreException("the in-memory store is closed", null);
    }
    return queues.computeIfAbsent(queue, InMemoryQueueStore::new);
  }

  @Override
  public Map<String, QueueMetrics> storedQueues() {
    Map<String, QueueMetrics> stored = new LinkedHashMap<>();
    queues.forEach((name, queue) -> {
      QueueMetrics metrics = queue.metrics();
      if (metrics.backlogCount() > 0) {
        stored.put(name, metrics);
      }
    });
    return stored;
  }

  @Override
  public boolean heapResident() {
    return true;
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "in-memory store";
  }
}
