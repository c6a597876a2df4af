package io.queues4j.examples;

import io.queues4j.Message;
import io.queues4j.MessageSendRequest;
import io.queues4j.Queue;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The smallest complete use of queues4j: one queue, a consumer, a producer. The README quotes the
 * region between the {@code @start} and {@code @end} markers, and a test checks that it still
 * does.
 *
 * <p>Run it with {@code java -cp examples/target/queues4j-demo.jar
 * io.queues4j.examples.QuickStart}.
 */
public final class QuickStart {

  // @start region=message
  /** A message body: any record or class that Jackson can encode as JSON. */
  record Greeting(String to, String text) {}
  // @end region=message

  private QuickStart() {}

  /**
   * Runs the quickstart and exits with its status.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted while waiting for the consumer
   */
  public static void main(String[] args) throws InterruptedException {
    System.exit(run(System.out));
  }

  /**
   * Sends three greetings and prints them as the consumer receives them.
   *
   * @param out where the consumer prints
   * @return 0 once every greeting was received, 1 otherwise
   * @throws InterruptedException if interrupted while waiting for the consumer
   */
  static int run(PrintStream out) throws InterruptedException {
    // @start region=quickstart
    try (QueueEngine engine = QueueEngine.builder().build()) {
      engine.declareQueue("greetings");

      // Consumer: receives batches. Returning normally acknowledges every message in the batch;
      // throwing retries every message not explicitly acknowledged.
      CountDownLatch received = new CountDownLatch(3);
      ConsumerSettings settings =
          ConsumerSettings.builder()
              .maxBatchSize(10)
              .maxBatchTimeout(Duration.ofMillis(100))
              .maxRetries(3)
              .deadLetterQueue("greetings-dlq")
              .build();
      engine.consume(
          "greetings",
          Greeting.class,
          settings,
          (batch, ctx) -> {
            for (Message<Greeting> message : batch.messages()) {
              out.println("received " + message.body() + ", attempt " + message.attempts());
              received.countDown();
            }
          });

      // Producer: the future completes once the queue has accepted the message (or fails with a
      // QueueException subclass, e.g. MessageTooLargeException).
      Queue<Greeting> greetings = engine.queue("greetings");
      greetings.send(new Greeting("Ada", "hello")).join();
      greetings
          .sendBatch(
              List.of(
                  MessageSendRequest.of(new Greeting("Grace", "hi")),
                  MessageSendRequest.of(new Greeting("Linus", "hey"))))
          .join();

      return received.await(5, TimeUnit.SECONDS) ? 0 : 1;
    } // close(): waits for batches in flight, then stops the engine's threads
    // @end region=quickstart
  }
}
