package io.queues4j;

import java.lang.System.Logger.Level;

/** Runs a {@link MessageHandler} over each message of a batch and applies its verdicts. */
final class VerdictAdapter<Body> implements QueueHandler<Body> {
  private static final System.Logger logger = System.getLogger(VerdictAdapter.class.getName());

  private final MessageHandler<Body> handler;

  VerdictAdapter(MessageHandler<Body> handler) {
    this.handler = handler;
  }

  @Override
  public void queue(MessageBatch<Body> batch, QueueContext ctx) {
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
        logger.log(
            Level.WARNING,
            "Handler failed on message " + message.id() + " of queue " + batch.queue(),
            e);
        verdict = QueueResult.retry(String.valueOf(e));
      }
      if (verdict instanceof QueueResult.Retry retry) {
        logger.log(
            Level.DEBUG,
            () -> "Retrying message " + message.id() + " of queue " + batch.queue() + ": "
                + retry.reason());
        message.retry(retry.options());
      } else {
        message.ack();
      }
    }
  }
}
