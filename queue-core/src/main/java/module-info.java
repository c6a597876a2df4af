/**
 * The queues4j in-process engine: {@link io.queues4j.core.QueueEngine}.
 */
@org.jspecify.annotations.NullMarked
module io.queues4j.core {
  requires transitive io.queues4j;
  requires transitive com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.queues4j.core;
  exports io.queues4j.spi;
}
