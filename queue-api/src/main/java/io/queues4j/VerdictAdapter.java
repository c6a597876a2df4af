package io.queues4j;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link MessageHandler} over each message of a batch and applies its verdicts.
 *
 * <p>Logging (logger {@code io.queues4j.VerdictAdapter}): a handler call that throws is routine for
 * a consumer (a flaky downstream fails many messages in a row), so one batch logs at most one
 * WARN, after the batch: how many of its messages failed, their ids, and the first failure with
 * its stack trace. Every failure, the first included, is also logged at DEBUG with its cause, and
 * every retry verdict at DEBUG with its reason. This matches the engine, which logs a failed batch
 * of a throwing handler once at WARN.
 */
final class VerdictAdapter<Body> implements QueueHandler<Body> {
  private static final Logger LOGGER = LoggerFactory.getLogger(VerdictAdapter.class);

  private final MessageHandler<Body> handler;
  private final Logger logger;

  VerdictAdapter(MessageHandler<Body> handler) {
    this(handler, LOGGER);
  }

  /** For tests: logs to {@code logger} instead of this class's logger. */
  VerdictAdapter(MessageHandler<Body> handler, Logger logger) {
    this.handler = handler;
    this.logger = logger;
  }

  @Override
  public void queue(MessageBatch<Body> batch, QueueContext ctx) {
    List<String> failed = new ArrayList<>(0);
    @Nullable Exception firstFailure = null;
    for (Message<Body> message : batch.messages()) {
      QueueResult verdict;
      try {
        verdict = handler.handle(message);
        if (verdict == null) { // a caller outside null-checked code
          verdict = QueueResult.retry("handler returned null");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        verdict = QueueResult.retry("interrupted");
      } catch (Exception e) {
        failed.add(message.id());
        if (firstFailure == null) {
          firstFailure = e;
        }
        logger.debug(
            "Message handler failed on message {} of queue '{}'", message.id(), batch.queue(), e);
        verdict = QueueResult.retry(String.valueOf(e));
      }
      if (verdict instanceof QueueResult.Retry retry) {
        logger.debug(
            "Retrying message {} of queue '{}': {}", message.id(), batch.queue(), retry.reason());
        message.retry(retry.options());
      } else {
        message.ack();
      }
    }
    if (firstFailure != null) {
      logger.warn(
          "Message handler of queue '{}' failed on {} of {} messages {}; they will be retried."
              + " First failure:",
          batch.queue(), failed.size(), batch.messages().size(), failed, firstFailure);
    }
  }
}
