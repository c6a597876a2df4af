package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A batch to hand to a handler with {@link BatchRunner}: a queue name and 1 to 100 messages with
 * the ids, bodies and attempt numbers the test chooses. Value-based.
 *
 * @param queue the queue name the handler sees in {@link io.queues4j.MessageBatch#queue()}
 * @param messages the messages, in batch order; ids unique
 * @param <B> the body type
 */
public record TestBatch<B>(String queue, List<TestMessage<B>> messages) {
  /** The queue name of batches built without one. */
  public static final String DEFAULT_QUEUE = "test-queue";

  /**
   * Validates and copies the batch.
   *
   * @param queue see the record description
   * @param messages see the record description
   * @throws NullPointerException if a reference or an element is {@code null}
   * @throws IllegalArgumentException if the queue name is blank, there are not 1 to 100 messages,
   *     or two share an id
   */
  public TestBatch {
    requireNonNull(queue, "queue");
    messages = List.copyOf(messages);
    if (queue.isBlank()) {
      throw new IllegalArgumentException("queue must not be blank");
    }
    if (messages.isEmpty() || messages.size() > 100) {
      throw new IllegalArgumentException(
          "a batch has 1 to 100 messages but this one has " + messages.size());
    }
    Set<String> ids = new HashSet<>();
    for (TestMessage<B> m : messages) {
      if (!ids.add(m.id())) {
        throw new IllegalArgumentException("message id " + m.id() + " appears twice");
      }
    }
  }

  /**
   * A batch of first deliveries of {@code bodies}, on {@link #DEFAULT_QUEUE}, with ids that look
   * like the engine's: 32 hexadecimal digits counting from {@code 000…001}.
   *
   * @param bodies the bodies, in batch order
   * @param <B> the body type
   * @return the batch
   * @throws IllegalArgumentException if there are not 1 to 100 bodies
   */
  public static <B> TestBatch<B> of(List<B> bodies) {
    List<TestMessage<B>> messages = new ArrayList<>(bodies.size());
    for (int i = 0; i < bodies.size(); i++) {
      messages.add(TestMessage.of(String.format("%032x", i + 1), bodies.get(i)));
    }
    return new TestBatch<>(DEFAULT_QUEUE, messages);
  }

  /**
   * A batch of first deliveries of {@code bodies}; see {@link #of(List)}.
   *
   * @param bodies the bodies, in batch order
   * @param <B> the body type
   * @return the batch
   * @throws IllegalArgumentException if there are not 1 to 100 bodies
   */
  @SafeVarargs
  public static <B> TestBatch<B> of(B... bodies) {
    List<B> list = new ArrayList<>(bodies.length);
    for (B body : bodies) {
      list.add(body);
    }
    return of(list);
  }

  /**
   * Returns a copy on another queue.
   *
   * @param queue the queue name
   * @return the new batch
   */
  public TestBatch<B> withQueue(String queue) {
    return new TestBatch<>(queue, messages);
  }

  /**
   * Returns a copy in which every message has the given attempt number, for example {@code
   * maxRetries + 1} to test the last delivery before the dead-letter queue.
   *
   * @param attempts the attempt number, at least 1
   * @return the new batch
   * @throws IllegalArgumentException if {@code attempts < 1}
   */
  public TestBatch<B> withAttempts(int attempts) {
    return new TestBatch<>(queue, messages.stream().map(m -> m.withAttempts(attempts)).toList());
  }
}
