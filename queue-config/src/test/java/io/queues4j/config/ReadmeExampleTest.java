package io.queues4j.config;

import static io.queues4j.config.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Message;
import io.queues4j.core.QueueEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's "Declaring queues from wrangler or w7s files" example, run. */
class ReadmeExampleTest {

  /** A job body. */
  record Job(String name) {}

  @Test
  void theReadmeExampleDeclaresSendsAndConsumes() throws Exception {
    Path workerDirectory = Path.of("src/test/resources/readme");
    BlockingQueue<Job> done = new LinkedBlockingQueue<>();
    try (QueueEngine engine = QueueEngine.builder().build()) {
      // @start region=readme
      QueueConfig config = ConfigLoader.builder().build().loadDirectory(workerDirectory);
      Bindings env = config.applyTo(engine); // declares jobs and jobs-dlq with the file's settings
      engine.consume("jobs", Job.class, config.consumerSettings("jobs"), (batch, ctx) -> {
        for (Message<Job> message : batch.messages()) {
          done.add(message.body());
        }
      });
      env.<Job>binding("JOBS").send(new Job("report")).join(); // Worker code: env.JOBS.send(...)
      // @end region=readme

      assertThat(done.poll(10, TimeUnit.SECONDS)).isEqualTo(new Job("report"));
      assertThat(done).isEmpty();
      assertThat(at(config.queues(), "jobs").retentionPeriod()).isEqualTo(Duration.ofDays(1));
      assertThat(config.queues()).containsOnlyKeys("jobs", "jobs-dlq");
      assertThat(engine.stats("jobs-dlq").sent()).isZero();
    }
  }
}
