package io.queues4j;

/**
 * A consumer written as one verdict per message: return {@link QueueResult#ack()} or {@link
 * QueueResult#retry(String)}. The handler never calls an acknowledgement method itself. Adapt it
 * with {@link QueueHandler#perMessage(MessageHandler)}.
 *
 * <p>The verdict is independent of success: acknowledge a logical failure to drop a poison
 * message, or retry despite partial success.
 *
 * @param <Body> the body type
 */
@FunctionalInterface
public interface MessageHandler<Body> {

  /**
   * Decides the fate of one message.
   *
   * @param message the message; its {@link Message#attempts()} helps compute a backoff
   * @return the verdict
   * @throws Exception to retry the message, the exception being the reason
   */
  QueueResult handle(Message<Body> message) throws Exception;
}
