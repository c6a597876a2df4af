package io.queues4j.http;

/** {@code GET /healthz}: the one route that needs no credentials; reveals nothing but "ok". */
final class HealthFace implements Face {
  private static final byte[] OK = Exchange.json(g -> {
    g.writeStartObject();
    g.writeStringField("status", "ok");
    g.writeEndObject();
  });

  @Override
  public void addRoutes(Router router) {
    router.add("GET", "/healthz", false, ex -> ex.respondJson(200, OK));
  }
}
