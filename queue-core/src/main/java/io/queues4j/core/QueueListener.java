package io.queues4j.core;

/**
 * Observes what happens to messages: sends, deliveries, failures and outcomes. Register one with
 * {@link QueueEngine.Builder#listener}; test harnesses record history with it, and operators can
 * feed metrics or audit logs.
 *
 * <p>Called synchronously, never under an engine lock, from whichever thread caused the event
 * (a producer, a handler's thread, the timer), so an implementation must be thread-safe and fast.
 * Events reported by one thread arrive in the order they happened; when a producer and a consumer
 * thread race, a message's {@link QueueEvent.Delivered} may be reported before its {@link
 * QueueEvent.Sent}. With delivery on a single thread (as in a test harness) the order is exact. An
 * exception thrown by the listener is logged and otherwise ignored.
 */
@FunctionalInterface
public interface QueueListener {

  /**
   * Receives one event.
   *
   * @param event what happened
   */
  void onEvent(QueueEvent event);
}
