package io.queues4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.queues4j.core.QueueEngine;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerLifecycleTest {

  private static List<String> httpThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("queues4j-http"))
        .toList();
  }

  @Test
  void namesItsThreadsAndStopsThemOnClose() throws Exception {
    try (QueueEngine engine = QueueEngine.builder().build()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> httpThreads().isEmpty());
      QueueHttpServer server = QueueHttpServer.builder(engine).build();
      assertThatThrownBy(server::port).hasMessageContaining("not running");
      server.start();
      assertThat(server.port()).isPositive();
      assertThat(httpThreads()).isNotEmpty().allMatch(n -> n.startsWith("queues4j-http-"));
      assertThat(RawHttp.send(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").text())
          .isEqualTo("{\"status\":\"ok\"}");
      assertThatThrownBy(server::start).hasMessageContaining("already started");
      server.close();
      server.close(); // idempotent
      await().atMost(Duration.ofSeconds(10)).until(() -> httpThreads().isEmpty());
      assertThatThrownBy(server::start).hasMessageContaining("closed");
    }
  }

  @Test
  void bindsToLoopbackByDefault() throws Exception {
    try (QueueEngine engine = QueueEngine.builder().build();
        QueueHttpServer server = QueueHttpServer.builder(engine).build()) {
      server.start();
      try (var socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
        assertThat(socket.isConnected()).isTrue();
      }
    }
  }

  @Test
  void refusesToStartWhenAQueueRunRouteTargetsAnUndeclaredQueue() {
    try (QueueEngine engine = QueueEngine.builder().build();
        QueueHttpServer server =
            QueueHttpServer.builder(engine).queueRunRoute(QueueRunRoute.of("/x", "missing")).build()) {
      assertThatThrownBy(server::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("POST /x targets queue 'missing', which the engine has not declared");
      await().atMost(Duration.ofSeconds(10)).until(() -> httpThreads().isEmpty());
    }
  }

  @Test
  void refusesAPortInUseNamingTheCause() throws Exception {
    try (QueueEngine engine = QueueEngine.builder().build();
        QueueHttpServer first = QueueHttpServer.builder(engine).build()) {
      first.start();
      try (QueueHttpServer second = QueueHttpServer.builder(engine).port(first.port()).build()) {
        assertThatThrownBy(second::start)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("could not start");
      }
    }
  }

  @Test
  void servesHttpsWithAKeyStore(@TempDir Path dir) throws Exception {
    Path keyStore = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2",
                "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
                keyStore.toString(), "-storepass", "changeit", "-keypass", "changeit")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("keytool.log").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("keytool.log"))).isZero();

    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      trust.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();

    try (QueueEngine engine = QueueEngine.builder().build();
        QueueHttpServer server =
            QueueHttpServer.builder(engine)
                .tls(keyStore, "changeit")
                .token("tls-token-000000000001", new Caller("acme", "app", "production"))
                .w7sQueue(W7sQueue.builder("acme", "worker", "jobs").build())
                .build()) {
      server.start();
      String base = "https://127.0.0.1:" + server.port();
      HttpResponse<String> health =
          client.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> sent =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/queues/acme/worker/jobs"))
                  .header("Authorization", "Bearer tls-token-000000000001")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"secure\":true}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
      assertThat(engine.stats("w7s:acme/worker/production/jobs").sent()).isEqualTo(1);
      // Plain HTTP to the TLS port is not served.
      assertThat(RawHttp.send(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status())
          .isNotEqualTo(200);
    }
  }
}
