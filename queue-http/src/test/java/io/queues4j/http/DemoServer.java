package io.queues4j.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.queues4j.Message;
import io.queues4j.core.ConsumerSettings;
import io.queues4j.core.QueueEngine;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A server to try the README's {@code curl} examples against: the W7S queue {@code
 * acme/worker/jobs}, pushed to a consuming app in the same process that checks each delivery's
 * signature and prints the batch, and the queue-run route {@code POST /tasks}, whose jobs are
 * printed by an in-process consumer; and Cloudflare's Queues REST API for account {@link #ACCOUNT}
 * (over the engine). Runs until interrupted
 * (Ctrl-C).
 *
 * <pre>
 * mvn -B -q -pl queue-http -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "queue-http/target/test-classes:queue-http/target/classes:$(cat queue-http/target/cp.txt)" \
 *     io.queues4j.http.DemoServer
 * </pre>
 */
public final class DemoServer {
  static final String TOKEN = "demo-token-change-me-0001";
  static final String ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
  static final int PORT = Integer.getInteger("queues4j.demo.port", 8787);
  static final int CONSUMER_PORT = Integer.getInteger("queues4j.demo.consumerPort", 8788);

  private DemoServer() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    byte[] secret = "demo-signing-secret-change-me-00".getBytes(StandardCharsets.US_ASCII);
    Server app = consumingApp(secret, out);
    try (QueueEngine engine = QueueEngine.builder().build()) {
      engine.declareQueue("tasks");
      engine.consume(
          "tasks",
          JsonNode.class,
          ConsumerSettings.builder().maxBatchTimeout(Duration.ofMillis(100)).build(),
          (batch, ctx) -> {
            for (Message<JsonNode> m : batch.messages()) {
              out.println("[tasks consumer] job " + m.body());
            }
          });
      try (QueueHttpServer server =
          QueueHttpServer.builder(engine)
              .port(PORT)
              .token(TOKEN, new Caller("acme", "producer", "production"))
              .w7sQueue(
                  W7sQueue.builder("acme", "worker", "jobs")
                      .consumerUrl(URI.create("http://127.0.0.1:" + CONSUMER_PORT))
                      .signingSecret(secret)
                      .consumerSettings(
                          ConsumerSettings.builder()
                              .maxBatchTimeout(Duration.ofMillis(100))
                              .retryDelay(Duration.ofSeconds(10))
                              .build())
                      .build())
              .queueRunRoute(QueueRunRoute.of("/tasks", "tasks"))
              // Cloudflare's REST API for account ACCOUNT, over the engine's queues
              .cloudflareApi(ACCOUNT, new Caller("acme", "producer", "production"))
              .build()) {
        server.start();
        out.println("queues4j HTTP demo on http://127.0.0.1:" + server.port()
            + " (token " + TOKEN + "); W7S pushes go to http://127.0.0.1:" + CONSUMER_PORT
            + "; Cloudflare API at /client/v4/accounts/" + ACCOUNT + "/queues. Ctrl-C to stop.");
        new CountDownLatch(1).await();
      }
    } finally {
      app.stop();
    }
  }

  /** The W7S consuming app: verifies the signature, prints the batch, answers 200. */
  private static Server consumingApp(byte[] secret, PrintStream out) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(CONSUMER_PORT);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) throws Exception {
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
              body = in.readAllBytes();
            }
            boolean genuine =
                PushSignature.verify(
                    secret,
                    request.getHeaders().get(PushSignature.HEADER),
                    body,
                    Instant.now(),
                    Duration.ofMinutes(5));
            out.println("[consuming app] " + request.getHttpURI().getPath() + " signature "
                + (genuine ? "ok" : "REJECTED") + ": " + new String(body, StandardCharsets.UTF_8));
            response.setStatus(genuine ? 200 : 401);
            response.write(true, ByteBuffer.wrap("{\"ok\":true}".getBytes(StandardCharsets.UTF_8)), callback);
            return true;
          }
        });
    server.start();
    return server;
  }
}
