/**
 * The HTTP faces of a queues4j engine: {@link io.queues4j.http.QueueHttpServer}, on embedded
 * Jetty.
 */
@org.jspecify.annotations.NullMarked
module io.queues4j.http {
  requires transitive io.queues4j.core;
  requires com.fasterxml.jackson.databind;
  requires java.net.http;
  requires org.eclipse.jetty.server;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.queues4j.http;
}
