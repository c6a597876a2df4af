package io.queues4j.config;

/** How a declared consumer receives its messages: wrangler's {@code type} key. */
public enum ConsumerType {
  /**
   * {@code type = "worker"} (the default): messages are pushed to a handler, attached with {@code
   * QueueEngine.consume}; for a W7S queue, W7S posts each batch to the consumer's path.
   */
  WORKER,

  /**
   * {@code type = "http_pull"}: clients pull batches over HTTP and acknowledge them by lease.
   * The engine has no pull consumers yet: the declaration (batch size, retries, dead-letter queue,
   * visibility timeout) is kept in the model, for the HTTP module to serve later.
   */
  HTTP_PULL;

  /** Returns the value of wrangler's {@code type} key. */
  String fileName() {
    return this == WORKER ? "worker" : "http_pull";
  }
}
