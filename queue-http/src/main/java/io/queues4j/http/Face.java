package io.queues4j.http;

/**
 * One HTTP face of the server: a set of routes with its own request and response shapes (W7S,
 * queue-run, health, Cloudflare's REST API). A face adds its routes while the server is
 * built, may start work of its own (push consumers) when the server starts, and stops it on close.
 */
interface Face {

  /** Adds this face's routes; called once, before the server starts. */
  void addRoutes(Router router);

  /** Starts the face's own work, after the routes are served. */
  default void start() {}

  /** Stops the face's own work; called once, after the server has stopped accepting requests. */
  default void stop() {}
}
