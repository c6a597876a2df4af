package io.queues4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void noArgumentsMeansTheDefaults() throws UsageException {
    assertThat(DemoOptions.parse()).isEqualTo(DemoOptions.DEFAULTS);
    assertThat(DemoOptions.DEFAULTS.poisonBackoffSeconds()).isEqualTo(2 + 4 + 8);
  }

  @Test
  void acceptsBothSpellingsOfAValue() throws UsageException {
    DemoOptions o =
        DemoOptions.parse(
            "--messages", "1_000", "--failure-rate=0.25", "--batch-size", "100", "--concurrency=8",
            "--max-retries", "0", "--seed=-3");

    assertThat(o)
        .isEqualTo(new DemoOptions(1_000, 0.25, 100, 8, 0, -3, null, 0, false));
    assertThat(o.describe())
        .isEqualTo(
            "1000 jobs, failure rate 25%, batch size 100, concurrency 8, max retries 0, seed -3");
  }

  @Test
  void durableTakesAFileAndStopAfterNeedsIt() throws UsageException {
    DemoOptions o = DemoOptions.parse("--durable", "jobs.db", "--stop-after=20");
    assertThat(o.durable()).isEqualTo(java.nio.file.Path.of("jobs.db"));
    assertThat(o.stopAfter()).isEqualTo(20);
    assertThat(o.describe()).endsWith(", durable in jobs.db, stop after 20 acked");
    assertThatThrownBy(() -> DemoOptions.parse("--stop-after", "20"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--stop-after needs --durable");
  }

  @Test
  void theMessageNamesTheOptionTheRangeAndTheValue() {
    assertThatThrownBy(() -> DemoOptions.parse("--batch-size", "500"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--batch-size must be an integer in [1, 100] but was '500'");
  }

  @Test
  void anUnknownOptionIsNamedBeforeItsValueIsLookedFor() {
    assertThatThrownBy(() -> DemoOptions.parse("--x"))
        .isInstanceOf(UsageException.class)
        .hasMessage("unknown option: --x");
    assertThatThrownBy(() -> DemoOptions.parse("--messages", "5", "--colour=red"))
        .hasMessage("unknown option: --colour");
  }

  @Test
  void thePoisonJobWaitsTwoToThePowerOfEachFailedAttempt() throws UsageException {
    assertThat(DemoOptions.parse("--max-retries", "0").poisonBackoffSeconds()).isZero();
    assertThat(DemoOptions.parse("--max-retries", "1").poisonBackoffSeconds()).isEqualTo(2);
    assertThat(DemoOptions.parse("--max-retries", "8").poisonBackoffSeconds()).isEqualTo(510);
  }
}
