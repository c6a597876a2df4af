package io.queues4j.core;

import io.queues4j.spi.StoreException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How the engine calls a store: a store that throws instead of failing its stage is treated as
 * if it had failed it, and {@link CompletionException} wrappers are taken off, so that each
 * continuation sees either a result or the store's own exception, exactly once.
 */
final class StoreCalls {
  private StoreCalls() {}

  /** Calls {@code operation}, then {@code then} with its result or its failure (unwrapped). */
  static <T> void call(
      Supplier<CompletionStage<T>> operation, BiConsumer<@Nullable T, @Nullable Throwable> then) {
    CompletionStage<T> stage;
    try {
      stage = operation.get();
    } catch (RuntimeException e) {
      then.accept(null, e);
      return;
    }
    if (stage instanceof CompletableFuture<T> future
        && future.getClass() == CompletableFuture.class // not a minimal stage, which has no isDone
        && future.isDone()) { // a store that answered at once, such as the in-memory one
      T result;
      try {
        result = future.join();
      } catch (CompletionException | CancellationException e) {
        then.accept(null, unwrap(e));
        return;
      }
      then.accept(result, null);
      return;
    }
    stage.whenComplete((result, failure) -> then.accept(result, unwrap(failure)));
  }

  static @Nullable Throwable unwrap(@Nullable Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Waits for a store operation that a caller of the engine's API waits for anyway (inspection).
   *
   * @throws StoreException if the operation failed
   */
  static <T> T join(CompletionStage<T> stage, String queue, String what) {
    try {
      return stage.toCompletableFuture().join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof StoreException store) {
        throw store;
      }
      throw new StoreException("could not " + what + " of queue '" + queue + "'", cause);
    }
  }
}
