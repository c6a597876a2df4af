package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.queues4j.BatchTooLargeException;
import io.queues4j.ContentTypeMismatchException;
import io.queues4j.EmptyBatchException;
import io.queues4j.MessageEncodingException;
import io.queues4j.MessageSendRequest;
import io.queues4j.MessageTooLargeException;
import io.queues4j.Queue;
import io.queues4j.QueueClosedException;
import io.queues4j.QueueContentType;
import io.queues4j.QueueNotFoundException;
import io.queues4j.QueueRetryOptions;
import io.queues4j.QueueSendBatchOptions;
import io.queues4j.QueueSendOptions;
import io.queues4j.StorageLimitExceededException;
import io.queues4j.TooManyMessagesException;
import io.queues4j.UnsupportedContentTypeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, bad input: every malformed call gets a typed error that names the problem, and enqueues
 * nothing. The cases are a table; {@link #everyCaseFailsWithItsTypeAndMessageAndEnqueuesNothing}
 * runs them all, and {@link #reliabilityDocListsEveryCaseAndItsExactMessage} checks that
 * docs/RELIABILITY.md quotes every message (the table it needs is written to {@code
 * target/reliability-bad-input.md}), so the document cannot drift from the engine.
 */
class ReliabilityBadInputTest {
  private static final Path DOC = Path.of("..", "docs", "RELIABILITY.md");
  private static final Path GENERATED = Path.of("target", "reliability-bad-input.md");

  /** The engine a case runs against: queue {@code q} (no consumer) and an event log. */
  static final class Bed implements AutoCloseable {
    final EngineFixture fx;
    final Queue<Object> q;

    Bed(EngineFixture fx) {
      this.fx = fx;
      fx.engine.declareQueue("q");
      this.q = fx.engine.queue("q");
    }

    @Override
    public void close() {
      fx.close();
    }
  }

  @FunctionalInterface
  interface Action {
    @Nullable Object run(Bed bed) throws Exception;
  }

  /**
   * One bad input.
   *
   * @param input what the caller does wrong, as the document lists it
   * @param type the exception expected (thrown, or failing the returned future)
   * @param message its exact message
   * @param setUp what the bed needs first (messages sent here are the "before" state)
   * @param action the bad call
   */
  record Case(
      String input, Class<? extends Throwable> type, String message, Action setUp, Action action) {
    Case(String input, Class<? extends Throwable> type, String message, Action action) {
      this(input, type, message, bed -> null, action);
    }

    String row() {
      return "| " + input + " | `" + type.getSimpleName() + "` | " + escape(message) + " |";
    }
  }

  private static String escape(String text) {
    return text.replace("|", "\\|");
  }

  /** A body that refers to itself: Jackson detects the cycle. */
  public static final class Node {
    private @Nullable Node next;

    public @Nullable Node getNext() {
      return next;
    }
  }

  /** A body whose getter throws while Jackson writes it. */
  public static final class Exploding {
    @SuppressWarnings("DoNotCallSuggester") // Jackson calls it: that is the point
    public String getValue() {
      throw new IllegalStateException("getter exploded");
    }
  }

  private static Node cycle() {
    Node node = new Node();
    node.next = node;
    return node;
  }

  private static List<MessageSendRequest<Object>> batchOf(int count, int bytesEach) {
    List<MessageSendRequest<Object>> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(MessageSendRequest.of(new byte[bytesEach], QueueContentType.BYTES));
    }
    return batch;
  }

  private static final QueueSendOptions TEXT = QueueSendOptions.contentType(QueueContentType.TEXT);
  private static final QueueSendOptions BYTES =
      QueueSendOptions.contentType(QueueContentType.BYTES);

  @SuppressWarnings("FutureReturnValueIgnored") // failureOf examines every returned future
  static List<Case> cases() {
    String over = " (queue 'q')";
    List<Case> cases = new ArrayList<>();
    // ---- bodies
    cases.add(new Case("`send(null)`", NullPointerException.class, "body",
        bed -> bed.q.send(nullBody())));
    cases.add(new Case("`MessageSendRequest.of(null)` in a batch", NullPointerException.class,
        "body", bed -> bed.q.sendBatch(List.of(MessageSendRequest.of(nullBody())))));
    cases.add(new Case("a batch containing a `null` request", NullPointerException.class,
        "messages must not contain null", bed -> bed.q.sendBatch(listWithNull())));
    cases.add(new Case("JSON body with a cycle (object refers to itself)",
        MessageEncodingException.class,
        "Queue send failed: body of type io.queues4j.core.ReliabilityBadInputTest$Node cannot be"
            + " encoded as JSON: Direct self-reference leading to cycle (through reference chain:"
            + " io.queues4j.core.ReliabilityBadInputTest$Node[\"next\"])" + over,
        bed -> bed.q.send(cycle())));
    cases.add(new Case("JSON body Jackson has no serializer for (`new Object()`)",
        MessageEncodingException.class,
        "Queue send failed: body of type java.lang.Object cannot be encoded as JSON: No serializer"
            + " found for class java.lang.Object and no properties discovered to create"
            + " BeanSerializer (to avoid exception, disable SerializationFeature.FAIL_ON_EMPTY_BEANS)"
            + over,
        bed -> bed.q.send(new Object())));
    cases.add(new Case("JSON body of an unsupported type (`Optional` without the jdk8 module)",
        MessageEncodingException.class,
        "Queue send failed: body of type java.util.Optional cannot be encoded as JSON: Java 8"
            + " optional type `java.util.Optional` not supported by default: add Module"
            + " \"com.fasterxml.jackson.datatype:jackson-datatype-jdk8\" to enable handling (or"
            + " disable `MapperFeature.REQUIRE_HANDLERS_FOR_JAVA8_OPTIONALS`)" + over,
        bed -> bed.q.send(Optional.of("x"))));
    cases.add(new Case("JSON body whose getter throws", MessageEncodingException.class,
        "Queue send failed: body of type io.queues4j.core.ReliabilityBadInputTest$Exploding cannot"
            + " be encoded as JSON: getter exploded (through reference chain:"
            + " io.queues4j.core.ReliabilityBadInputTest$Exploding[\"value\"])" + over,
        bed -> bed.q.send(new Exploding())));
    cases.add(new Case("a batch where one body cannot be encoded", MessageEncodingException.class,
        "Queue send failed: body of type java.lang.Object cannot be encoded as JSON: No serializer"
            + " found for class java.lang.Object and no properties discovered to create"
            + " BeanSerializer (to avoid exception, disable SerializationFeature.FAIL_ON_EMPTY_BEANS)"
            + over,
        bed -> bed.q.sendBatch(List.of(MessageSendRequest.of("fine"),
            MessageSendRequest.of(new Object())))));
    // ---- sizes
    cases.add(new Case("text body of 128,001 bytes (one over)", MessageTooLargeException.class,
        "Queue send failed: message length of 128001 bytes exceeds limit of 128000" + over,
        bed -> bed.q.send("a".repeat(128_001), TEXT)));
    cases.add(new Case("bytes body of 128,001 bytes", MessageTooLargeException.class,
        "Queue send failed: message length of 128001 bytes exceeds limit of 128000" + over,
        bed -> bed.q.send(new byte[128_001], BYTES)));
    cases.add(new Case("JSON string of 127,999 characters (128,001 bytes with its quotes)",
        MessageTooLargeException.class,
        "Queue send failed: message length of 128001 bytes exceeds limit of 128000" + over,
        bed -> bed.q.send("a".repeat(127_999))));
    cases.add(new Case("text of 64,001 two-byte characters (128,002 UTF-8 bytes)",
        MessageTooLargeException.class,
        "Queue send failed: message length of 128002 bytes exceeds limit of 128000" + over,
        bed -> bed.q.send("é".repeat(64_001), TEXT)));
    cases.add(new Case("one message of 128,001 bytes in a batch", MessageTooLargeException.class,
        "Queue sendBatch failed: message length of 128001 bytes exceeds limit of 128000" + over,
        bed -> bed.q.sendBatch(List.of(MessageSendRequest.of("ok"),
            MessageSendRequest.of(new byte[128_001], QueueContentType.BYTES)))));
    cases.add(new Case("batch of 101 messages", TooManyMessagesException.class,
        "Queue sendBatch failed: batch message count of 101 exceeds limit of 100" + over,
        bed -> bed.q.sendBatch(batchOf(101, 1))));
    cases.add(new Case("batch of 256,001 bytes in total (128,000 + 128,000 + 1)",
        BatchTooLargeException.class,
        "Queue sendBatch failed: batch size of 256001 bytes exceeds limit of 256000" + over,
        bed -> {
          List<MessageSendRequest<Object>> batch = batchOf(2, 128_000);
          batch.addAll(batchOf(1, 1));
          return bed.q.sendBatch(batch);
        }));
    cases.add(new Case("empty batch", EmptyBatchException.class,
        "Queue sendBatch failed: sendBatch() requires at least one message" + over,
        bed -> bed.q.sendBatch(List.of())));
    // ---- delays
    cases.add(new Case("`QueueSendOptions.delaySeconds(-1)`", IllegalArgumentException.class,
        "delaySeconds must be an integer in [0, 86400] but was -1",
        bed -> bed.q.send("x", QueueSendOptions.delaySeconds(-1))));
    cases.add(new Case("`QueueSendOptions.delaySeconds(86401)`", IllegalArgumentException.class,
        "delaySeconds must be an integer in [0, 86400] but was 86401",
        bed -> bed.q.send("x", QueueSendOptions.delaySeconds(86_401))));
    cases.add(new Case("`QueueSendBatchOptions.delaySeconds(86401)`",
        IllegalArgumentException.class,
        "delaySeconds must be an integer in [0, 86400] but was 86401",
        bed -> bed.q.sendBatch(List.of(MessageSendRequest.of("x")),
            QueueSendBatchOptions.delaySeconds(86_401))));
    cases.add(new Case("`MessageSendRequest.withDelaySeconds(-1)`", IllegalArgumentException.class,
        "delaySeconds must be an integer in [0, 86400] but was -1",
        bed -> bed.q.sendBatch(List.of(MessageSendRequest.of((Object) "x").withDelaySeconds(-1)))));
    cases.add(new Case("`QueueRetryOptions.delaySeconds(86401)`", IllegalArgumentException.class,
        "delaySeconds must be an integer in [0, 86400] but was 86401",
        bed -> QueueRetryOptions.delaySeconds(86_401)));
    // ---- content types
    cases.add(new Case("`TEXT` with a non-string body", ContentTypeMismatchException.class,
        "Content Type \"text\" requires a value of type String, but received: java.lang.Integer"
            + over,
        bed -> bed.q.send(42, TEXT)));
    cases.add(new Case("`BYTES` with a string body", ContentTypeMismatchException.class,
        "Content Type \"bytes\" requires a value of type byte[] or ByteBuffer, but received:"
            + " java.lang.String" + over,
        bed -> bed.q.send("not bytes", BYTES)));
    cases.add(new Case("`TEXT` with a non-string body inside a batch",
        ContentTypeMismatchException.class,
        "Content Type \"text\" requires a value of type String, but received: java.lang.Integer"
            + over,
        bed -> bed.q.sendBatch(List.of(MessageSendRequest.of("fine"),
            MessageSendRequest.of(42, QueueContentType.TEXT)))));
    cases.add(new Case("`V8` content type", UnsupportedContentTypeException.class,
        "Content Type \"v8\" is not supported: JavaScript structured clone has no Java"
            + " counterpart; use \"json\", \"text\" or \"bytes\"" + over,
        bed -> bed.q.send("x", QueueSendOptions.contentType(QueueContentType.V8))));
    // ---- queues
    cases.add(new Case("`engine.queue(\"nope\")` (unknown queue)", QueueNotFoundException.class,
        "Queue 'nope' does not exist; declare it first", bed -> bed.fx.engine.queue("nope")));
    cases.add(new Case("`engine.consume(\"nope\", ...)`", QueueNotFoundException.class,
        "Queue 'nope' does not exist; declare it first",
        bed -> {
          bed.fx.engine.consume("nope", String.class, ConsumerSettings.defaults(), (b, c) -> {});
          return null;
        }));
    cases.add(new Case("`engine.stats(\"nope\")`", QueueNotFoundException.class,
        "Queue 'nope' does not exist; declare it first", bed -> bed.fx.engine.stats("nope")));
    cases.add(new Case("`declareQueue(\" \")` (blank name)", IllegalArgumentException.class,
        "queue name must not be blank but was ' '",
        bed -> {
          bed.fx.engine.declareQueue(" ");
          return null;
        }));
    cases.add(new Case("redeclaring `q` with other settings", IllegalStateException.class,
        "queue 'q' is already declared with QueueSettings{deliveryDelay=PT0S,"
            + " deadLetterCapacity=10000, maxBacklogBytes=none, maxBacklogMessages=none,"
            + " retentionPeriod=PT96H, deduplicationWindow=PT5M}; cannot redeclare it with"
            + " QueueSettings{deliveryDelay=PT5S, deadLetterCapacity=10000, maxBacklogBytes=none,"
            + " maxBacklogMessages=none, retentionPeriod=PT96H, deduplicationWindow=PT5M}",
        bed -> {
          bed.fx.engine.declareQueue("q",
              QueueSettings.builder().deliveryDelay(Duration.ofSeconds(5)).build());
          return null;
        }));
    cases.add(new Case("a second consumer on `q`", IllegalStateException.class,
        "queue 'q' already has a consumer (duplicate_consumer): a queue has one",
        bed -> consume(bed, "q", ConsumerSettings.defaults()),
        bed -> consume(bed, "q", ConsumerSettings.defaults())));
    cases.add(new Case("`engine.queue(\"q\", Duration.ZERO)`", IllegalArgumentException.class,
        "maxWaitForRoom must be positive but was PT0S",
        bed -> bed.fx.engine.queue("q", Duration.ZERO)));
    // ---- consumer and queue settings
    cases.add(new Case("`maxBatchSize(0)`", IllegalArgumentException.class,
        "maxBatchSize must be in [1, 100] but was 0",
        bed -> ConsumerSettings.builder().maxBatchSize(0)));
    cases.add(new Case("`maxBatchSize(101)`", IllegalArgumentException.class,
        "maxBatchSize must be in [1, 100] but was 101",
        bed -> ConsumerSettings.builder().maxBatchSize(101)));
    cases.add(new Case("`maxBatchTimeout(61 s)`", IllegalArgumentException.class,
        "maxBatchTimeout must be in [PT0S, PT1M] but was PT1M1S",
        bed -> ConsumerSettings.builder().maxBatchTimeout(Duration.ofSeconds(61))));
    cases.add(new Case("`maxRetries(-1)`", IllegalArgumentException.class,
        "maxRetries must be in [0, 100] but was -1",
        bed -> ConsumerSettings.builder().maxRetries(-1)));
    cases.add(new Case("`maxRetries(101)`", IllegalArgumentException.class,
        "maxRetries must be in [0, 100] but was 101",
        bed -> ConsumerSettings.builder().maxRetries(101)));
    cases.add(new Case("`retryDelay(86,401 s)`", IllegalArgumentException.class,
        "retryDelay must be in [PT0S, PT24H] but was PT24H1S",
        bed -> ConsumerSettings.builder().retryDelay(Duration.ofSeconds(86_401))));
    cases.add(new Case("`maxConcurrency(0)`", IllegalArgumentException.class,
        "maxConcurrency must be in [1, 250] but was 0",
        bed -> ConsumerSettings.builder().maxConcurrency(0)));
    cases.add(new Case("`maxConcurrency(251)`", IllegalArgumentException.class,
        "maxConcurrency must be in [1, 250] but was 251",
        bed -> ConsumerSettings.builder().maxConcurrency(251)));
    cases.add(new Case("`handlerTimeout(0)`", IllegalArgumentException.class,
        "handlerTimeout must be in [PT0.001S, PT24H] but was PT0S",
        bed -> ConsumerSettings.builder().handlerTimeout(Duration.ZERO)));
    cases.add(new Case("`deadLetterQueue(\"\")`", IllegalArgumentException.class,
        "queue name must not be blank but was ''",
        bed -> ConsumerSettings.builder().deadLetterQueue("")));
    cases.add(new Case("`retentionPeriod(59 s)`", IllegalArgumentException.class,
        "retentionPeriod must be in [PT1M, PT336H] but was PT59S",
        bed -> QueueSettings.builder().retentionPeriod(Duration.ofSeconds(59))));
    cases.add(new Case("`deliveryDelay(1.5 s)`", IllegalArgumentException.class,
        "deliveryDelay must be whole seconds but was PT1.5S",
        bed -> QueueSettings.builder().deliveryDelay(Duration.ofMillis(1_500))));
    cases.add(new Case("`maxBacklogMessages(0)`", IllegalArgumentException.class,
        "maxBacklogMessages must be at least 1 but was 0",
        bed -> QueueSettings.builder().maxBacklogMessages(0)));
    // ---- dead-letter cycles
    cases.add(new Case("dead-letter queue of `q` is `q` itself", IllegalStateException.class,
        "dead-letter queue of 'q' must not lead back to it: q -> q",
        bed -> consume(bed, "q", ConsumerSettings.builder().deadLetterQueue("q").build())));
    cases.add(new Case("dead-letter cycle `q -> b -> q`", IllegalStateException.class,
        "dead-letter queue of 'q' must not lead back to it: q -> b -> q",
        bed -> {
          bed.fx.engine.declareQueue("b");
          return consume(bed, "b", ConsumerSettings.builder().deadLetterQueue("q").build());
        },
        bed -> consume(bed, "q", ConsumerSettings.builder().deadLetterQueue("b").build())));
    cases.add(new Case("dead-letter cycle `q -> b -> c -> q`", IllegalStateException.class,
        "dead-letter queue of 'q' must not lead back to it: q -> b -> c -> q",
        bed -> {
          bed.fx.engine.declareQueue("b");
          bed.fx.engine.declareQueue("c");
          consume(bed, "c", ConsumerSettings.builder().deadLetterQueue("q").build());
          return consume(bed, "b", ConsumerSettings.builder().deadLetterQueue("c").build());
        },
        bed -> consume(bed, "q", ConsumerSettings.builder().deadLetterQueue("b").build())));
    // ---- lifecycle
    cases.add(new Case("`send` after `close()`", QueueClosedException.class,
        "Queue send failed: the engine is closed and accepts no messages" + over,
        bed -> bed.fx.engine.shutdown(Duration.ZERO), bed -> bed.q.send("late")));
    cases.add(new Case("`sendBatch` after `close()`", QueueClosedException.class,
        "Queue send failed: the engine is closed and accepts no messages" + over,
        bed -> bed.fx.engine.shutdown(Duration.ZERO),
        bed -> bed.q.sendBatch(List.of(MessageSendRequest.of("late")))));
    cases.add(new Case("`declareQueue` after `close()`", IllegalStateException.class,
        "the engine is closed",
        bed -> bed.fx.engine.shutdown(Duration.ZERO),
        bed -> {
          bed.fx.engine.declareQueue("later");
          return null;
        }));
    cases.add(new Case("`consume` after `close()`", IllegalStateException.class,
        "the engine is closed",
        bed -> bed.fx.engine.shutdown(Duration.ZERO),
        bed -> consume(bed, "q", ConsumerSettings.defaults())));
    // ---- backlog full
    cases.add(new Case("send to a queue at its `maxBacklogMessages` (2)",
        StorageLimitExceededException.class,
        "Queue send failed: Storage Limit Exceeded: queue 'small' backlog of 2 messages plus 1"
            + " would exceed its limit of 2 messages (queue 'small')",
        bed -> {
          bed.fx.engine.declareQueue("small", QueueSettings.builder().maxBacklogMessages(2).build());
          Queue<String> small = bed.fx.engine.queue("small");
          small.send("1").join();
          return small.send("2").join();
        },
        bed -> bed.fx.engine.queue("small").send("3")));
    cases.add(new Case("batch that would pass a queue's `maxBacklogBytes` (10)",
        StorageLimitExceededException.class,
        "Queue send failed: Storage Limit Exceeded: queue 'small' backlog of 8 bytes plus 6"
            + " would exceed its limit of 10 bytes (queue 'small')",
        bed -> {
          bed.fx.engine.declareQueue("small", QueueSettings.builder().maxBacklogBytes(10).build());
          return bed.fx.engine.queue("small").send("abcdef").join(); // 8 bytes with its quotes
        },
        bed -> bed.fx.engine.queue("small").sendBatch(
            List.of(MessageSendRequest.of("a"), MessageSendRequest.of("b")))));
    cases.add(new Case("send beyond the engine's `backlogMemoryLimit` (1,000 bytes)",
        StorageLimitExceededException.class,
        "Queue send failed: Storage Limit Exceeded: engine backlog of 906 heap bytes plus 106"
            + " would exceed its limit of 1000 heap bytes (queue 'q')",
        bed -> bed.q.send("x".repeat(804)).join(), // 806 bytes + 100 overhead
        bed -> bed.q.send("abcd")));
    return cases;
  }

  private static @Nullable Object consume(Bed bed, String queue, ConsumerSettings settings) {
    bed.fx.engine.consume(queue, String.class, settings, (b, c) -> {});
    return null;
  }

  @SuppressWarnings("NullAway") // deliberately null: the case under test
  private static Object nullBody() {
    return null;
  }

  @SuppressWarnings("NullAway") // deliberately contains null: the case under test
  private static List<MessageSendRequest<Object>> listWithNull() {
    List<MessageSendRequest<Object>> list = new ArrayList<>();
    list.add(MessageSendRequest.of("fine"));
    list.add(null);
    return list;
  }

  /** Runs a bad call; returns what it threw, or what failed the future it returned. */
  private static @Nullable Throwable failureOf(Bed bed, Action action) {
    Object result;
    try {
      result = action.run(bed);
    } catch (Throwable t) {
      return t;
    }
    if (result instanceof CompletableFuture<?> future) {
      assertThat(future).as("a failed send completes at once").isDone();
      try {
        future.join();
      } catch (CompletionException e) {
        return e.getCause();
      }
    }
    return null;
  }

  /** Everything the engine holds or has taken in, summed over every queue. */
  private record Snapshot(long sent, long backlog, long backlogBytes, long memory, int events) {
    static Snapshot of(Bed bed) {
      long sent = 0;
      long backlog = 0;
      long bytes = 0;
      for (String name : List.of("q", "b", "c", "small", "nope", "later")) {
        try {
          QueueStats stats = bed.fx.engine.stats(name);
          sent += stats.sent() + stats.deadLettersReceived();
          backlog += stats.metrics().backlogCount();
          bytes += stats.metrics().backlogBytes();
        } catch (QueueNotFoundException e) {
          // not declared in this case
        }
      }
      return new Snapshot(sent, backlog, bytes, bed.fx.engine.backlogMemoryUsed(),
          bed.fx.events(QueueEvent.Sent.class).size());
    }
  }

  @Test
  void everyCaseFailsWithItsTypeAndMessageAndEnqueuesNothing() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Case c : cases()) {
      try (Bed bed = new Bed(new EngineFixture(QueueLimits.cloudflare(),
          c.input().contains("backlogMemoryLimit") ? 1_000 : Runtime.getRuntime().maxMemory() / 4))) {
        c.setUp().run(bed);
        Snapshot before = Snapshot.of(bed);
        Throwable failure = failureOf(bed, c.action());
        bed.fx.time.runUntilIdle();
        if (failure == null) {
          problems.add(c.input() + ": did not fail");
          continue;
        }
        if (!c.type().isInstance(failure)) {
          problems.add(c.input() + ": threw " + failure + ", expected " + c.type().getSimpleName());
        } else if (!c.message().equals(failure.getMessage())) {
          problems.add(c.input() + ": message was\n    " + failure.getMessage()
              + "\n  expected\n    " + c.message());
        }
        Snapshot after = Snapshot.of(bed);
        if (!after.equals(before)) {
          problems.add(c.input() + ": enqueued something: " + before + " -> " + after);
        }
      }
    }
    assertThat(problems).as("cases that broke their contract").isEmpty();
  }

  @Test
  void reliabilityDocListsEveryCaseAndItsExactMessage() throws IOException {
    List<Case> cases = cases();
    StringBuilder table = new StringBuilder("| Bad input | Error | Exact message |\n|---|---|---|\n");
    for (Case c : cases) {
      table.append(c.row()).append('\n');
    }
    Files.createDirectories(GENERATED.getParent());
    Files.writeString(GENERATED, table, StandardCharsets.UTF_8);
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    List<String> missing = cases.stream().map(Case::row).filter(row -> !doc.contains(row)).toList();
    assertThat(missing).as("rows of " + GENERATED + " missing from " + DOC).isEmpty();
    assertThat(doc).contains("**" + cases.size() + " bad-input cases**");
  }

  @Test
  void theCasesCoverTheIssueList() {
    List<String> inputs = cases().stream().map(Case::input).toList();
    assertThat(IntStream.range(0, inputs.size()).mapToObj(inputs::get).distinct())
        .as("each case once").hasSize(inputs.size());
    assertThat(cases().stream().map(Case::type).distinct()).contains(
        NullPointerException.class, MessageEncodingException.class,
        MessageTooLargeException.class, TooManyMessagesException.class,
        BatchTooLargeException.class, EmptyBatchException.class, IllegalArgumentException.class,
        ContentTypeMismatchException.class, UnsupportedContentTypeException.class,
        QueueNotFoundException.class, IllegalStateException.class, QueueClosedException.class,
        StorageLimitExceededException.class);
  }
}
