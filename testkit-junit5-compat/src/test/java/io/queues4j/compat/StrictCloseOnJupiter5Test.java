package io.queues4j.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.queues4j.testkit.QueueTestKit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs small user test classes through the Jupiter 5.11 engine and checks how they end: the kit is
 * closed after each test, a strict kit fails the test that left a message behind, and a kit from
 * a {@code @RegisterExtension} factory is used instead of the default one.
 *
 * <p>The user classes ({@link LeavesAMessageBehind}, {@link NonStrictKits}) are named so that
 * surefire does not run them on their own; one of them fails on purpose.
 */
class StrictCloseOnJupiter5Test {
  /** Kits seen by the user classes below; they run on this thread, one at a time. */
  static final List<QueueTestKit> SEEN = new ArrayList<>();

  private static Events run(Class<?> userTests) {
    SEEN.clear();
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(userTests))
        .execute()
        .testEvents();
  }

  /** A closed kit refuses new queue bindings. */
  private static void assertClosed(QueueTestKit kit) {
    assertThatThrownBy(() -> kit.queue("orders")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aStrictKitFailsTheTestThatLeftAMessageQueued() {
    Events events = run(LeavesAMessageBehind.class);

    events.assertStatistics(stats -> stats.started(1).succeeded(0).failed(1));
    Throwable failure =
        events.failed().stream()
            .findFirst()
            .flatMap(e -> e.getPayload(TestExecutionResult.class))
            .flatMap(TestExecutionResult::getThrowable)
            .orElseThrow();
    assertThat(failure)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not settled")
        .hasMessageContaining("queue 'orders'");
    assertThat(SEEN).singleElement().satisfies(StrictCloseOnJupiter5Test::assertClosed);
  }

  @Test
  void aRegisteredFactoryMakesTheKitsAndEachTestGetsItsOwn() {
    Events events = run(NonStrictKits.class);

    events.assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    assertThat(SEEN).allSatisfy(StrictCloseOnJupiter5Test::assertClosed);
  }
}
