package io.queues4j.examples;

import io.queues4j.core.QueueEngine;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A producer and a consumer written as two separate components that share one engine and nothing
 * else but the queue's name, after the seed's W7S producer and consumer backends. The consumer app
 * declares and consumes the queue; the producer app only sends to it and then polls the consumer
 * for the outcome.
 *
 * <p>Run it with {@code java -cp examples/target/queues4j-demo.jar
 * io.queues4j.examples.SeparateAppsDemo [text...]}.
 */
public final class SeparateAppsDemo {
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(5);

  private SeparateAppsDemo() {}

  /**
   * Runs the example and exits with its status.
   *
   * @param args the texts to enqueue; three greetings if none
   * @throws InterruptedException if interrupted while waiting for the consumer
   */
  public static void main(String[] args) throws InterruptedException {
    System.exit(run(args, System.out));
  }

  /**
   * Enqueues each text through the producer app and waits for the consumer app to process it.
   *
   * @param args the texts to enqueue; three greetings if none
   * @param out where the outcome goes
   * @return 0 if the consumer processed every task, 1 otherwise
   * @throws InterruptedException if interrupted while waiting for the consumer
   */
  static int run(String[] args, PrintStream out) throws InterruptedException {
    List<String> texts = args.length > 0 ? List.of(args) : List.of("hello", "from", "producer");
    try (QueueEngine engine = QueueEngine.builder().build()) {
      // Each app gets the engine as its platform; neither holds a reference to the other.
      ConsumerApp consumer = ConsumerApp.start(engine);
      ProducerApp producer = new ProducerApp(engine.queue(ConsumerApp.QUEUE));

      List<String> ids = new ArrayList<>();
      for (String text : texts) {
        String id = producer.enqueue(text);
        ids.add(id);
        out.println("producer: queued '" + text + "' as task " + id);
      }
      int processed = 0;
      for (String id : ids) {
        if (Await.until(() -> consumer.status(id).isPresent(), DELIVERY_TIMEOUT)) {
          out.println("consumer: task " + id + " " + consumer.status(id).orElseThrow());
          processed++;
        } else {
          out.println("consumer: task " + id + " not processed within " + DELIVERY_TIMEOUT);
        }
      }
      out.println(processed + " of " + ids.size() + " tasks processed");
      return processed == ids.size() ? 0 : 1;
    }
  }
}
