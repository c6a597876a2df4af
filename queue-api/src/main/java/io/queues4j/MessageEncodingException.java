package io.queues4j;

/** A body the codec cannot encode, e.g. an object graph with a cycle for JSON. */
public final class MessageEncodingException extends QueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param queue the queue concerned
   * @param bodyType the class name of the body
   * @param cause the codec's failure
   */
  public MessageEncodingException(String queue, String bodyType, Throwable cause) {
    super(
        queue,
        "Queue send failed: body of type "
            + bodyType
            + " cannot be encoded as JSON: "
            + cause.getMessage()
            + " (queue '"
            + queue
            + "')",
        cause);
  }
}
