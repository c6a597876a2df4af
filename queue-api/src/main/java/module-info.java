/**
 * The queues4j API: Java counterparts of Cloudflare's Workers Queues binding types.
 *
 * <p>This module holds contracts and values only; the engine that implements them lives in
 * {@code io.queues4j.core}. It logs through SLF4J (only {@code QueueHandler.perMessage} handlers
 * log, when a message's handler call fails).
 */
@org.jspecify.annotations.NullMarked
module io.queues4j {
  requires static transitive org.jspecify;
  requires org.slf4j;

  exports io.queues4j;
}
