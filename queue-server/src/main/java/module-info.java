/**
 * queues4j as a standalone service: {@code java -jar queues4j-server.jar --config wrangler.toml}
 * serves the HTTP faces of {@code io.queues4j.http} over one engine whose queues come from
 * wrangler and W7S files ({@code io.queues4j.config}). The entry point is {@link
 * io.queues4j.server.Main}.
 */
@org.jspecify.annotations.NullMarked
module io.queues4j.server {
  requires io.queues4j.config;
  requires io.queues4j.http;
  requires io.queues4j.core;
  requires io.queues4j.sqlite;
  requires io.queues4j.postgres;
  requires com.zaxxer.hikari;
  requires java.sql;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.toml;
  requires org.eclipse.jetty.server;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.queues4j.server;
}
