package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.Message;
import io.queues4j.Queue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmokeTest {
  record Job(int n, String name) {}

  @Test
  void realThreadsDeliverAndClose() throws Exception {
    List<Job> seen = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(25);
    try (QueueEngine engine = QueueEngine.builder().build()) {
      engine.declareQueue("jobs");
      engine.consume(
          "jobs",
          Job.class,
          ConsumerSettings.builder().maxBatchTimeout(Duration.ZERO).build(),
          (batch, ctx) -> {
            for (Message<Job> m : batch.messages()) {
              seen.add(m.body());
              done.countDown();
            }
          });
      Queue<Job> jobs = engine.queue("jobs");
      for (int i = 0; i < 25; i++) {
        jobs.send(new Job(i, "j" + i)).join();
      }
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(seen).hasSize(25);
  }
}
