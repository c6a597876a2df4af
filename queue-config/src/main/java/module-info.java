/**
 * queues4j config: declares queues, producer bindings and consumer settings from wrangler and
 * w7s.json files ({@link io.queues4j.config.ConfigLoader}, {@link io.queues4j.config.QueueConfig}).
 */
@org.jspecify.annotations.NullMarked
module io.queues4j.config {
  requires transitive io.queues4j.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.toml;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.queues4j.config;
}
