package io.queues4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** A producer thread's own state: its window credits and the next body ids. */
@State(Scope.Thread)
public class Producer {
  private static final AtomicLong THREADS = new AtomicLong();

  private int credits;
  private long next = THREADS.getAndIncrement() << 40;
  private final List<Order> batch = new ArrayList<>(100);

  /** Takes one send from the window, reserving more from {@code pipeline} when out. */
  void acquire(Pipeline pipeline, int messages) {
    credits -= messages;
    if (credits < 0) {
      Fixtures.reserve(pipeline.sent, pipeline.handled);
      credits += Fixtures.CREDITS;
    }
  }

  Order next() {
    return Order.of(next++, 0);
  }

  /** Returns a reused list of {@code size} fresh bodies. */
  List<Order> nextBatch(int size) {
    batch.clear();
    for (int i = 0; i < size; i++) {
      batch.add(next());
    }
    return batch;
  }
}
