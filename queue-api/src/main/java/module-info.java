/**
 * The queues4j API: Java counterparts of Cloudflare's Workers Queues binding types.
 *
 * <p>This module holds contracts and values only; the engine that implements them lives in
 * {@code io.queues4j.core}.
 */
@org.jspecify.annotations.NullMarked
module io.queues4j {
  requires static transitive org.jspecify;

  exports io.queues4j;
}
