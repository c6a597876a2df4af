package io.queues4j.sqlite;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One operation the writer runs inside a transaction, and its outcome: set by {@link #execute} or
 * {@link #fail}, delivered to {@link #future} by {@link #complete()} once the transaction is
 * committed (or has failed). Confined to the writer until completed.
 *
 * @param <T> its result
 */
final class Op<T extends @Nullable Object> {
  /** The work: SQL through a transaction, returning the operation's result. */
  @FunctionalInterface
  interface Work<T extends @Nullable Object> {
    @Nullable T run(Transaction tx) throws SQLException;
  }

  final CompletableFuture<T> future = new CompletableFuture<>();
  private final String action;
  private final String queue;
  private final Work<T> work;
  private final boolean inline;
  private final boolean alone;
  private final boolean sync;
  private final boolean packs;
  private @Nullable T result;
  private @Nullable Throwable failure;

  /**
   * @param action what it does, for error messages: "add messages to"
   * @param queue the queue it is for
   * @param inline whether to complete it on the writer's thread rather than the completion
   *     thread: only for operations that a caller waits for and that run no engine code when
   *     they complete (so that a caller on the completion thread cannot wait for itself)
   */
  Op(String action, String queue, boolean inline, Work<T> work) {
    this(action, queue, inline, false, false, false, work);
  }

  private Op(String action, String queue, boolean inline, boolean alone, boolean sync,
      boolean packs, Work<T> work) {
    this.action = action;
    this.queue = queue;
    this.inline = inline;
    this.alone = alone;
    this.sync = sync;
    this.packs = packs;
    this.work = work;
  }

  /**
   * An operation whose commit must reach the disk before it completes, with FULL durability:
   * adding messages (a completed send survives a power loss).
   */
  static <T extends @Nullable Object> Op<T> synced(String action, String queue, Work<T> work) {
    return new Op<>(action, queue, false, false, true, false, work);
  }

  /**
   * Adding messages to a standard queue: synced, and packed by the transaction with the adds that
   * follow it (see {@link Transaction#add}); any other operation first writes what is packed.
   */
  static Op<Void> add(String queue, Work<Void> work) {
    return new Op<>("add messages to", queue, false, false, true, true, work);
  }

  /**
   * An operation that runs outside any transaction, between two groups (a pragma such as a
   * checkpoint, which a transaction forbids), completed on the writer's thread.
   */
  static Op<Void> alone(String action, Work<Void> work) {
    return new Op<>(action, "", true, true, false, false, work);
  }

  boolean inline() {
    return inline;
  }

  boolean alone() {
    return alone;
  }

  boolean sync() {
    return sync;
  }

  /** What the operation does, for an error message: "add messages to queue 'jobs'". */
  String describe() {
    return queue.isEmpty() ? action : action + " queue '" + queue + "'";
  }

  void execute(Transaction tx) throws SQLException {
    failure = null;
    if (!packs) {
      tx.writeAdds(); // in order: what was added before this operation is there for it
    }
    result = work.run(tx);
  }

  void fail(Throwable failure) {
    this.failure = failure;
    this.result = null;
  }

  @SuppressWarnings("NullAway") // result is what execute returned whenever failure is null
  void complete() {
    Throwable f = failure;
    if (f != null) {
      future.completeExceptionally(f);
    } else {
      future.complete(result);
    }
  }
}
