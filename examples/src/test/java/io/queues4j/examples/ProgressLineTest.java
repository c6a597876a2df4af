package io.queues4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.core.QueueStats;
import io.queues4j.core.QueueEngine;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private final OutputCapture out = new OutputCapture();
  private long now = 5_000_000_000L; // any origin: only differences count

  private static QueueStats stats() {
    try (QueueEngine engine = QueueEngine.builder().build()) {
      engine.declareQueue("jobs");
      return engine.stats("jobs");
    }
  }

  @Test
  void finishReturnsTheTimeItsLineShowsCountedFromCreation() {
    ProgressLine progress = new ProgressLine(out.stream, false, () -> now);
    now += 8_870_000_000L;

    Duration elapsed = progress.finish(stats(), 10);

    assertThat(elapsed).isEqualTo(Duration.ofMillis(8_870));
    // Truncated, not rounded: 8.87 s shows as 8.8, never more than the summary's 8.87.
    assertThat(out.text()).startsWith("    8.8 s  sent 0/10");
  }

  @Test
  void logLinesAppearAtMostOncePerSecond() {
    ProgressLine progress = new ProgressLine(out.stream, false, () -> now);
    QueueStats stats = stats();

    progress.update(stats, 10); // 0.0 s: shown
    now += 999_000_000L;
    progress.update(stats, 10); // 0.999 s: too soon
    now += 1_000_000L;
    progress.update(stats, 10); // 1.0 s: shown

    assertThat(out.text().lines()).extracting(line -> line.substring(0, 9))
        .containsExactly("    0.0 s", "    1.0 s");
  }
}
