package io.queues4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.FifoQueue;
import io.queues4j.core.QueueEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system under test of the throughput benchmarks: a producer side ({@link #send}, {@link
 * #sendBatch}) and a consumer that decodes every body and counts it in {@link #handled}. Two
 * implementations: the engine, and the baseline that does only the physical work.
 */
abstract class Pipeline implements AutoCloseable {
  final AtomicLong sent = new AtomicLong();
  final AtomicLong handled = new AtomicLong();

  /**
   * Written by the consumer (one thread at a time) so that decoded bodies are used; read only for
   * {@link #toString()}.
   */
  long checksum;

  /** The first id of the warm-up's bodies, far above any {@link Producer}'s. */
  private static final long WARM_UP_IDS = 1L << 62;

  static Pipeline create(String impl, int maxBatchSize) {
    return switch (impl) {
      case "engine" -> new Engine(maxBatchSize);
      case "baseline" -> new Baseline(maxBatchSize);
      case "standard" -> new Grouped(maxBatchSize, 0, false);
      case "fifo-1" -> new Grouped(maxBatchSize, 1, false);
      case "fifo-1000" -> new Grouped(maxBatchSize, 1_000, false);
      case "fifo-1000-ids" -> new Grouped(maxBatchSize, 1_000, true);
      default -> throw new IllegalArgumentException(
          "impl must be engine or baseline but was " + impl);
    };
  }

  /** Sends one message; the caller reserves window credits. */
  abstract Object send(Order body);

  /** Sends the bodies as one batch; the caller reserves window credits. */
  abstract Object sendBatch(List<Order> bodies);

  /** Sends {@code count} messages one by one and waits until all are handled. */
  void warmUp(int count) {
    long target = handled.get() + count;
    sent.addAndGet(count);
    for (int i = 0; i < count; i++) {
      // ids no producer uses: a FIFO queue would drop a later body equal to one of these as a
      // duplicate (never handled, so the producers' window would never reopen)
      send(Order.of(WARM_UP_IDS + i, 0));
    }
    Fixtures.awaitAtLeast(handled::get, target, Duration.ofSeconds(60));
  }

  @Override
  public abstract void close();

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{sent=" + sent + ", handled=" + handled
        + ", checksum=" + checksum + "}";
  }

  /** The engine: {@code send}/{@code sendBatch}, a handler that reads every body and acks. */
  static final class Engine extends Pipeline {
    private final QueueEngine engine;
    private final Queue<Order> queue;

    Engine(int maxBatchSize) {
      engine = QueueEngine.builder().objectMapper(Fixtures.MAPPER).build();
      engine.declareQueue("orders");
      engine.consume(
          "orders",
          Order.class,
          ConsumerSettings.builder()
              .maxBatchSize(maxBatchSize)
              .maxBatchTimeout(Duration.ZERO)
              .maxConcurrency(1)
              .build(),
          (batch, ctx) -> {
            List<Message<Order>> messages = batch.messages();
            long sum = 0;
            for (Message<Order> message : messages) {
              sum += message.body().quantity();
            }
            checksum += sum;
            handled.addAndGet(messages.size());
          });
      queue = engine.queue("orders");
    }

    @Override
    Object send(Order body) {
      return queue.send(body).join();
    }

    @Override
    Object sendBatch(List<Order> bodies) {
      List<MessageSendRequest<Order>> requests = new ArrayList<>(bodies.size());
      for (Order body : bodies) {
        requests.add(MessageSendRequest.of(body));
      }
      return queue.sendBatch(requests).join();
    }

    @Override
    public void close() {
      engine.shutdown(Duration.ofSeconds(5));
    }
  }

  /**
   * A standard queue ({@code groups} 0) or a FIFO queue whose sends cycle through {@code groups}
   * groups, consumed with {@code maxConcurrency} 4: the cost of FIFO order and deduplication
   * (every send hashes its body) against a standard queue under the same consumer. With {@code
   * explicitIds} each send carries its own deduplication id, so no body is hashed: the difference
   * is the hash's cost.
   */
  static final class Grouped extends Pipeline {
    private final QueueEngine engine;
    private final Queue<Order> standard;
    private final List<FifoQueue<Order>> groups = new ArrayList<>();
    private final boolean explicitIds;
    private long next;

    Grouped(int maxBatchSize, int groupCount, boolean explicitIds) {
      this.explicitIds = explicitIds;
      String name = groupCount == 0 ? "orders" : "orders.fifo";
      engine = QueueEngine.builder().objectMapper(Fixtures.MAPPER).build();
      engine.declareQueue(name);
      engine.consume(name, Order.class, ConsumerSettings.builder().maxBatchSize(maxBatchSize)
          .maxBatchTimeout(Duration.ZERO).maxConcurrency(4).build(), (batch, ctx) -> {
            long sum = 0;
            for (Message<Order> message : batch.messages()) {
              sum += message.body().quantity();
            }
            synchronized (this) {
              checksum += sum;
            }
            handled.addAndGet(batch.messages().size());
          });
      standard = engine.queue(name);
      for (int g = 0; g < groupCount; g++) {
        groups.add(engine.<Order>fifoQueue(name).group("g" + g));
      }
    }

    @Override
    Object send(Order body) {
      if (groups.isEmpty()) {
        return standard.send(body).join();
      }
      long n = next++;
      FifoQueue<Order> group = groups.get((int) (n % groups.size()));
      return (explicitIds ? group.dedupe(Long.toString(n)) : group).send(body).join();
    }

    @Override
    Object sendBatch(List<Order> bodies) {
      throw new UnsupportedOperationException("the FIFO benchmark sends one message at a time");
    }

    @Override
    public void close() {
      engine.shutdown(Duration.ofSeconds(5));
    }
  }

  /**
   * The floor: encode with the same mapper, hand the bytes (one message, or a batch as a {@code
   * byte[][]}) through an {@link ArrayBlockingQueue} to one consumer thread, which drains up to
   * {@code maxBatchSize} messages at a time and decodes them with the same mapper.
   */
  static final class Baseline extends Pipeline {
    private final ObjectWriter writer = Fixtures.MAPPER.writer();
    private final ObjectReader reader = Fixtures.MAPPER.readerFor(Order.class);
    private final ArrayBlockingQueue<Object> handOff = new ArrayBlockingQueue<>(Fixtures.WINDOW);
    private final Thread consumer;
    private final int maxBatchSize;

    Baseline(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      consumer = new Thread(this::consume, "baseline-consumer");
      consumer.setDaemon(true);
      consumer.start();
    }

    @Override
    Object send(Order body) {
      byte[] bytes = encode(body);
      putUninterruptibly(bytes);
      return bytes;
    }

    @Override
    Object sendBatch(List<Order> bodies) {
      byte[][] batch = new byte[bodies.size()][];
      for (int i = 0; i < batch.length; i++) {
        batch[i] = encode(bodies.get(i));
      }
      putUninterruptibly(batch);
      return batch;
    }

    private byte[] encode(Order body) {
      try {
        return writer.writeValueAsBytes(body);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private void putUninterruptibly(Object element) {
      try {
        handOff.put(element);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private void consume() {
      List<Object> drained = new ArrayList<>(maxBatchSize);
      try {
        while (true) {
          drained.add(handOff.take());
          // a batch element already holds up to 100 messages: drain whole hand-offs
          handOff.drainTo(drained, drained.get(0) instanceof byte[][] ? 0 : maxBatchSize - 1);
          int count = 0;
          long sum = 0;
          for (Object element : drained) {
            if (element instanceof byte[][] batch) {
              for (byte[] bytes : batch) {
                sum += decode(bytes).quantity();
              }
              count += batch.length;
            } else {
              sum += decode((byte[]) element).quantity();
              count++;
            }
          }
          drained.clear();
          checksum += sum;
          handled.addAndGet(count);
        }
      } catch (InterruptedException e) {
        // closing
      }
    }

    private Order decode(byte[] bytes) {
      try {
        return reader.readValue(bytes);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      consumer.interrupt();
    }
  }
}
