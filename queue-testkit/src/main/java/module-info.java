/**
 * The queues4j testkit: deterministic, framework-free tests for code that sends to and consumes
 * from queues4j queues ({@link io.queues4j.testkit.QueueTestKit}, {@link
 * io.queues4j.testkit.BatchRunner}, {@link io.queues4j.testkit.FakeQueue}), plus optional JUnit 5
 * glue in {@code io.queues4j.testkit.junit5}, usable only when JUnit Jupiter is present.
 */
@org.jspecify.annotations.NullMarked
module io.queues4j.testkit {
  requires transitive io.queues4j.core;
  requires static transitive org.jspecify;
  requires static transitive org.junit.jupiter.api;

  exports io.queues4j.testkit;
  exports io.queues4j.testkit.junit5;
}
