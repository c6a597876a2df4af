package io.queues4j.testkit;

import static java.util.Objects.requireNonNull;

import io.queues4j.core.QueueEvent;
import java.util.List;

/**
 * Everything a {@link QueueTestKit} saw happen, as plain values in the order it happened: sends,
 * deliveries, outcomes and failed invocations. Every method returns an immutable snapshot.
 *
 * <p>With same-thread delivery the order is exact: a message's send comes before its delivery,
 * and a delivery before the outcomes of its messages. Bodies are the objects the producer passed,
 * so they compare with {@code equals} against what the test sent.
 *
 * <p><b>Thread-safety:</b> safe for concurrent use.
 */
public final class QueueHistory {
  private final Recorder recorder;

  QueueHistory(Recorder recorder) {
    this.recorder = recorder;
  }

  /**
   * Returns every message accepted, on every queue.
   *
   * @return the sends, oldest first
   */
  public List<RecordedSend> sends() {
    return recorder.sends(null);
  }

  /**
   * Returns the messages accepted by one queue.
   *
   * @param queue the queue name
   * @return the sends, oldest first
   */
  public List<RecordedSend> sends(String queue) {
    return recorder.sends(requireNonNull(queue, "queue"));
  }

  /**
   * Returns every batch delivered, on every queue.
   *
   * @return the deliveries, oldest first
   */
  public List<RecordedDelivery> deliveries() {
    return recorder.deliveries(null);
  }

  /**
   * Returns the batches delivered from one queue.
   *
   * @param queue the queue name
   * @return the deliveries, oldest first
   */
  public List<RecordedDelivery> deliveries(String queue) {
    return recorder.deliveries(requireNonNull(queue, "queue"));
  }

  /**
   * Returns the bodies delivered from one queue, batch after batch, a message once per delivery
   * (so a retried message appears once per attempt).
   *
   * @param queue the queue name
   * @return the bodies, in delivery order
   */
  public List<Object> deliveredBodies(String queue) {
    return deliveries(queue).stream().flatMap(d -> d.bodies().stream()).toList();
  }

  /**
   * Returns every outcome (acked, retried, dead-lettered, dropped, evicted), on every queue.
   *
   * @return the outcomes, oldest first
   */
  public List<RecordedOutcome> outcomes() {
    return recorder.outcomes(null);
  }

  /**
   * Returns the outcomes of one queue's messages.
   *
   * @param queue the queue name
   * @return the outcomes, oldest first
   */
  public List<RecordedOutcome> outcomes(String queue) {
    return recorder.outcomes(requireNonNull(queue, "queue"));
  }

  /**
   * Returns every failed invocation, on every queue.
   *
   * @return the failures, oldest first
   */
  public List<RecordedFailure> failures() {
    return recorder.failures(null);
  }

  /**
   * Returns the failed invocations of one queue's consumer.
   *
   * @param queue the queue name
   * @return the failures, oldest first
   */
  public List<RecordedFailure> failures(String queue) {
    return recorder.failures(requireNonNull(queue, "queue"));
  }

  /**
   * Returns the engine's raw events, for what the recorded values leave out.
   *
   * @return the events, oldest first
   */
  public List<QueueEvent> events() {
    return recorder.events();
  }

  /**
   * Forgets everything recorded so far, for a test that asserts on one phase at a time. The
   * ledger of unsettled messages that strict close checks is kept.
   */
  public void clear() {
    recorder.clearHistory();
  }
}
