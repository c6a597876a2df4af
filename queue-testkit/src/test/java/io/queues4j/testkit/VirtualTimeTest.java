package io.queues4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {

  @Test
  void timersRunInTimeOrderThenSchedulingOrderAndCancelledOnesNever() {
    VirtualTime time = new VirtualTime(ManualClock.create(), 1_000);
    long t0 = time.clock.millis();
    List<String> ran = new ArrayList<>();
    time.scheduler.schedule(Instant.ofEpochMilli(t0 + 20), () -> ran.add("b@20"));
    time.scheduler.schedule(Instant.ofEpochMilli(t0 + 10), () -> ran.add("a@10"));
    time.scheduler.schedule(Instant.ofEpochMilli(t0 + 20), () -> ran.add("c@20"));
    time.scheduler.schedule(Instant.ofEpochMilli(t0 + 15), () -> ran.add("never")).cancel();
    time.executor.execute(() -> ran.add("task"));

    time.advance(Duration.ofMillis(19));
    assertThat(ran).containsExactly("task", "a@10");
    time.advance(Duration.ofMillis(1));
    assertThat(ran).containsExactly("task", "a@10", "b@20", "c@20");
  }

  @Test
  void aTimerSeesTheClockAtItsOwnTime() {
    VirtualTime time = new VirtualTime(ManualClock.create(), 1_000);
    long t0 = time.clock.millis();
    List<Long> seen = new ArrayList<>();
    time.scheduler.schedule(Instant.ofEpochMilli(t0 + 7), () -> seen.add(time.clock.millis() - t0));
    time.advance(Duration.ofSeconds(1));
    assertThat(seen).containsExactly(7L);
    assertThat(time.clock.millis() - t0).isEqualTo(1_000);
  }

  @Test
  void manualClockOnlyMovesForward() {
    ManualClock clock = ManualClock.startingAt(Instant.parse("2030-01-01T00:00:00.123456Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2030-01-01T00:00:00.123Z"));
    assertThat(clock.advance(Duration.ofSeconds(1))).isEqualTo(Instant.parse("2030-01-01T00:00:01.123Z"));
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    clock.moveTo(0); // never backwards
    assertThat(clock.instant()).isEqualTo(Instant.parse("2030-01-01T00:00:01.123Z"));
  }
}
