package io.queues4j.http;

/**
 * Why a {@link QueueBackend} refused an operation. Each kind is one final nested class of this
 * sealed class, which {@link CloudflareErrors#of} maps to Cloudflare's status and code. Carries no
 * stack trace: it is an answer, not a failure.
 *
 * <p>Unknown and expired leases are deliberately not here: Cloudflare accepts acks permissively
 * and reports such leases as warnings in a successful answer ({@link QueueBackend.AckResult}).
 */
abstract sealed class QueueBackendException extends Exception {
  private static final long serialVersionUID = 1L;

  private QueueBackendException(String message) {
    super(message, null, false, false);
  }

  /** No queue has the id. */
  static final class UnknownQueue extends QueueBackendException {
    private static final long serialVersionUID = 1L;

    UnknownQueue(String queueId) {
      super("no queue has the id '" + RootHandler.truncate(queueId) + "'");
    }
  }

  /** The queue has no consumer with the id. */
  static final class UnknownConsumer extends QueueBackendException {
    private static final long serialVersionUID = 1L;

    UnknownConsumer(String queueName, String consumerId) {
      super(
          "queue '" + queueName + "' has no consumer with the id '"
              + RootHandler.truncate(consumerId) + "'");
    }
  }

  /** A queue with the name exists. */
  static final class QueueExists extends QueueBackendException {
    private static final long serialVersionUID = 1L;

    QueueExists(String name) {
      super("a queue named '" + name + "' already exists");
    }
  }

  /** The queue already has a consumer (a queue has at most one). */
  static final class ConsumerExists extends QueueBackendException {
    private static final long serialVersionUID = 1L;

    ConsumerExists(String queueName, String consumerId) {
      super(
          "queue '" + queueName + "' already has a consumer (" + consumerId
              + "); a queue has at most one: delete it first");
    }
  }

  /** A pull on a queue whose consumer is not an HTTP pull consumer, or that has none. */
  static final class NoPullConsumer extends QueueBackendException {
    private static final long serialVersionUID = 1L;

    NoPullConsumer(String queueName) {
      super(
          "queue '" + queueName + "' has no http_pull consumer; add one with POST "
              + ".../queues/{queue_id}/consumers {\"type\":\"http_pull\"}");
    }
  }

  /** A pull on a queue whose delivery is paused. */
  static final class DeliveryPaused extends QueueBackendException {
    private static final long serialVersionUID = 1L;

    DeliveryPaused(String queueName) {
      super(
          "queue_delivery_paused: delivery of queue '" + queueName
              + "' is paused; resume it with settings.delivery_paused = false");
    }
  }

  /** Settings the backend cannot apply, e.g. a dead-letter queue that does not exist. */
  static final class InvalidSettings extends QueueBackendException {
    private static final long serialVersionUID = 1L;

    InvalidSettings(String message) {
      super(message);
    }
  }

  /** A send over a limit; nothing was stored. */
  static final class LimitExceeded extends QueueBackendException {
    private static final long serialVersionUID = 1L;

    /** Which limit. */
    enum Limit {
      /** One message's encoded body, in bytes. */
      MESSAGE_BYTES,
      /** A batch's encoded bodies together, in bytes. */
      BATCH_BYTES,
      /** Messages in a batch. */
      BATCH_COUNT,
      /** The queue's (or the engine's) backlog: no room now, try again later. */
      BACKLOG
    }

    final Limit limit;

    LimitExceeded(Limit limit, String message) {
      super(message);
      this.limit = limit;
    }
  }

  /** The backend is closed or shutting down. */
  static final class Unavailable extends QueueBackendException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }
}
