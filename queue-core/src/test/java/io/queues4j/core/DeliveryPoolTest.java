package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link DeliveryPool}: a follow-up task runs on the thread that asked for it, with no hand-off. */
class DeliveryPoolTest {

  @Test
  void runNextRunsTheFollowUpOnTheSameThreadAfterTheCurrentTask() throws Exception {
    DeliveryPool pool = new DeliveryPool();
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<String> next = new CompletableFuture<>();
    CompletableFuture<Boolean> taken = new CompletableFuture<>();
    pool.execute(() -> {
      taken.complete(pool.runNext(() -> next.complete(Thread.currentThread().getName())));
      assertThat(next).as("not before the current task returns").isNotDone();
      first.complete(Thread.currentThread().getName());
    });
    assertThat(taken.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(next.get(10, TimeUnit.SECONDS))
        .startsWith("queues4j-delivery-")
        .isEqualTo(first.get());
    assertThat(pool.shutdown(5_000)).isTrue();
  }

  @Test
  void runNextDeclinesOffThePoolAndWhenAFollowUpIsAlreadyLinedUp() throws Exception {
    DeliveryPool pool = new DeliveryPool();
    assertThat(pool.runNext(() -> {})).as("a thread of no pool").isFalse();
    CompletableFuture<Boolean> second = new CompletableFuture<>();
    pool.execute(() -> {
      pool.runNext(() -> {});
      second.complete(pool.runNext(() -> {}));
    });
    assertThat(second.get(10, TimeUnit.SECONDS)).isFalse();
    assertThat(pool.shutdown(5_000)).isTrue();
  }
}
