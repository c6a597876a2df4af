package io.queues4j.examples;

import io.queues4j.QueueSendResult;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.FifoQueue;
import io.queues4j.core.QueueEngine;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Seed 003's checkout on a FIFO queue with deduplication, {@code checkout.fifo}: the server was
 * slow, the customer clicked "Pay" twice, and the form was submitted twice. Both submissions are
 * queued with the order id as the deduplication id, so the payment is collected once; the second
 * send is accepted, reports that it was a duplicate, and names the first job.
 *
 * <p>Run it with {@code java -cp examples/target/queues4j-demo.jar
 * io.queues4j.examples.Checkout}.
 */
public final class Checkout {
  static final String QUEUE = "checkout.fifo";

  /** The job: collect a payment for an order. */
  record Payment(String orderId, String customerId, long cents) {}

  private Checkout() {}

  /**
   * Runs the example and exits with its status.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted while waiting for the queue to drain
   */
  public static void main(String[] args) throws InterruptedException {
    System.exit(run(System.out));
  }

  /**
   * Submits the checkout form twice for one order, once for another, and counts the charges.
   *
   * @param out where the submissions, the charges and the summary go
   * @return 0 if each order was charged exactly once, else 1
   * @throws InterruptedException if interrupted while waiting
   */
  static int run(PrintStream out) throws InterruptedException {
    List<String> charged = new CopyOnWriteArrayList<>();
    try (QueueEngine engine = QueueEngine.builder().build()) {
      engine.declareQueue(QUEUE);
      engine.consume(QUEUE, Payment.class, ConsumerSettings.defaults(), (batch, ctx) ->
          batch.messages().forEach(m -> {
            charged.add(m.body().orderId());
            out.printf("charged %s %d cents for order %s%n",
                m.body().customerId(), m.body().cents(), m.body().orderId());
          }));
      FifoQueue<Payment> checkout = engine.fifoQueue(QUEUE);
      Payment first = new Payment("order-1001", "cus-7", 4_999);
      for (int click = 1; click <= 2; click++) { // a double-submitted form
        QueueSendResult r = checkout.group(first.customerId()).dedupe(first.orderId())
            .send(first).join();
        out.printf("submission %d of order-1001: job %s%s%n", click, r.messageIds().get(0),
            r.duplicate() ? " (duplicate, not queued again)" : "");
      }
      checkout.group("cus-8").dedupe("order-1002").send(new Payment("order-1002", "cus-8", 1_250))
          .join();
      boolean drained = Await.until(() -> charged.size() >= 2, Duration.ofSeconds(10));
      long deduplicated = engine.stats(QUEUE).deduplicated();
      out.printf("charges: %s; duplicates ignored: %d%n", charged, deduplicated);
      return drained && charged.size() == 2 && deduplicated == 1 ? 0 : 1;
    }
  }
}
