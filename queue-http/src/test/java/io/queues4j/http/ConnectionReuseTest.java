package io.queues4j.http;

import static io.queues4j.http.Fixture.ACME;
import static io.queues4j.http.Fixture.JOBS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A refusal sent before the request's body was read tells the client to close the connection: the
 * server will not read that body, so the connection cannot carry another request, and a client
 * that reused it (the JDK's does, for a POST after a 401) would fail with no answer at all.
 */
class ConnectionReuseTest {
  private Fixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = new Fixture();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** Sends {@code head} (without the body it announces), then reads the answer's head. */
  private String answerTo(String head) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), fixture.port())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder answer = new StringBuilder();
      while (!answer.toString().contains("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        answer.append((char) b);
      }
      return answer.toString();
    }
  }

  @Test
  void aRefusalBeforeTheBodyWasReadSaysConnectionClose() throws Exception {
    String answer = answerTo("POST " + JOBS + " HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 401 ").containsIgnoringCase("\r\nConnection: close\r\n");
  }

  @Test
  void anAnswerAfterTheWholeBodyKeepsTheConnection() throws Exception {
    String answer = answerTo("POST " + JOBS + " HTTP/1.1\r\nHost: localhost\r\n"
        + "Authorization: Bearer " + ACME + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: 2\r\n\r\n{}");
    assertThat(answer).startsWith("HTTP/1.1 202 ").doesNotContainIgnoringCase("Connection: close");
  }
}
