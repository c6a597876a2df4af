package io.queues4j.http;

import static io.queues4j.http.Fixture.ACME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queues4j.Message;
import io.queues4j.core.ConsumerSettings;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** queue-run HTTP enqueue: each content type becomes the documented job envelope. */
class QueueRunTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private Fixture fixture;
  private final BlockingQueue<Message<JsonNode>> received = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    fixture = new Fixture();
    fixture.engine.consume(
        Fixture.TASKS_QUEUE,
        JsonNode.class,
        ConsumerSettings.builder().maxBatchTimeout(Duration.ofMillis(10)).build(),
        (batch, ctx) -> received.addAll(batch.messages()));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private JsonNode enqueue(String path, String contentType, String body) throws Exception {
    RawHttp.Response response =
        RawHttp.send(
            fixture.port(),
            RawHttp.post(path, body, "Authorization: Bearer " + ACME, "Content-Type: " + contentType));
    assertThat(response.status()).as(response.text()).isEqualTo(202);
    String jobId = response.header("X-Job-Id");
    assertThat(jobId).matches("[0-9a-f]{32}");
    assertThat(response.json().path("jobId").asText()).isEqualTo(jobId);
    Message<JsonNode> message = received.poll(10, TimeUnit.SECONDS);
    assertThat(message).as("delivered").isNotNull();
    JsonNode job = message.body();
    assertThat(message.id()).as("the job id is the message id the handler sees").isEqualTo(jobId);
    assertThat(job.path("queueName").asText()).isEqualTo("tasks");
    assertThat(job.path("queuedAt").asText()).isEqualTo("2026-05-24T21:59:00.000Z");
    assertThat(job.path("user").path("id").asText()).isEqualTo("acme/producer");
    assertThat(job.path("contentType").asText()).isEqualTo(contentType.split(";", -1)[0]);
    return job;
  }

  @Test
  void jsonBecomesThePayloadAsIs() throws Exception {
    JsonNode job = enqueue("/tasks", "application/json", "{\"title\":\"hi\",\"n\":[1,2]}");
    assertThat(job.path("payload")).isEqualTo(MAPPER.readTree("{\"title\":\"hi\",\"n\":[1,2]}"));
    assertThat(job.path("params").size()).isZero();
  }

  @Test
  void aUrlEncodedFormBecomesAnObjectOfStringsWithTheLastValueOfARepeatedField() throws Exception {
    JsonNode job =
        enqueue("/tasks", "application/x-www-form-urlencoded", "name=Ada+L&city=Z%C3%BCrich&x=1&x=2&flag");
    assertThat(job.path("payload"))
        .isEqualTo(MAPPER.readTree("{\"name\":\"Ada L\",\"city\":\"Zürich\",\"x\":\"2\",\"flag\":\"\"}"));
  }

  @Test
  void aMultipartFormBecomesAnObjectOfStrings() throws Exception {
    String crlf = "\r\n";
    String body =
        "--b0undary" + crlf + "Content-Disposition: form-data; name=\"email\"" + crlf + crlf
            + "ada@example.com" + crlf + "--b0undary" + crlf
            + "Content-Disposition: form-data; name=\"note\"" + crlf
            + "Content-Type: text/plain; charset=utf-8" + crlf + crlf + "größer" + crlf
            + "--b0undary--" + crlf;
    JsonNode job = enqueue("/tasks", "multipart/form-data; boundary=b0undary", body);
    assertThat(job.path("payload"))
        .isEqualTo(MAPPER.readTree("{\"email\":\"ada@example.com\",\"note\":\"größer\"}"));
  }

  @Test
  void plainTextBecomesAString() throws Exception {
    JsonNode job = enqueue("/tasks", "text/plain; charset=utf-8", "hello \"world\"\n");
    assertThat(job.path("payload").isTextual()).isTrue();
    assertThat(job.path("payload").asText()).isEqualTo("hello \"world\"\n");
  }

  @Test
  void pathParametersAreStoredWithTheJob() throws Exception {
    JsonNode job = enqueue("/tasks/user-42/json", "application/json", "[true]");
    assertThat(job.path("params")).isEqualTo(MAPPER.readTree("{\"group\":\"user-42\"}"));
    assertThat(job.path("payload")).isEqualTo(MAPPER.readTree("[true]"));
  }
}
