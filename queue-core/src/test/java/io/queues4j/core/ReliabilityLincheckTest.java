package io.queues4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queues4j.Message;
import io.queues4j.MessageBatch;
import io.queues4j.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, thread-safety of core structures, checked with Lincheck 3.7 (model checking explores
 * interleavings; stress runs them on real threads), each against a sequential specification:
 *
 * <ul>
 *   <li>the marking protocol of one open {@link Invocation}: {@code ack(i)}, {@code retry(i)},
 *       {@code ackAll()}, {@code retryAll()} racing with its settlement, by the last {@code
 *       waitUntil} stage completing ({@code finish}) or by the handler timeout ({@code timeOut});
 *       the settling operation returns each message's outcome as the listener reports it;
 *   <li>{@link BacklogBudget}: reservations, charges and releases from many threads.
 * </ul>
 *
 * <p>Iteration counts are small and explicit so the whole class runs in seconds (BUILD-NOTES.md).
 * Lincheck writes its bootstrap jar to {@code java.io.tmpdir}, which the parent POM's surefire
 * configuration points at {@code target/}.
 */
@Order(Integer.MAX_VALUE) // last: Lincheck leaves its instrumentation in the JVM
class ReliabilityLincheckTest {

  // ---- the marking protocol of an invocation

  /** One invocation of two messages, open (its handler returned, one stage pending). */
  @Param(name = "i", gen = IntGen.class, conf = "0:1")
  public static class MarkingProtocol {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ThreadLocal<StringBuilder> OUTCOMES =
        ThreadLocal.withInitial(StringBuilder::new);

    private final CompletableFuture<Void> stage = new CompletableFuture<>();
    private final List<Message<String>> messages = new ArrayList<>();
    private @Nullable MessageBatch<String> batch;
    private @Nullable Invocation<?> invocation;

    public MarkingProtocol() {
      VirtualTime time = new VirtualTime();
      QueueEngine engine = QueueEngine.builder().clock(time).scheduler(time)
          .objectMapper(MAPPER)
          .executor(task -> {
            if (invocation == null) { // run the first invocation only; drop redeliveries
              invocation = (Invocation<?>) task;
              task.run();
            }
          })
          .listener(MarkingProtocol::record)
          .build();
      engine.declareQueue("q");
      Queue<String> q = engine.queue("q");
      q.send("m0").join();
      q.send("m1").join();
      engine.consume("q", String.class,
          ConsumerSettings.builder().maxBatchSize(2).maxBatchTimeout(Duration.ZERO).build(),
          (b, ctx) -> {
            batch = b;
            messages.addAll(b.messages());
            ctx.waitUntil(stage);
          });
      if (messages.size() != 2) {
        throw new IllegalStateException("expected one batch of two, got " + messages);
      }
      OUTCOMES.get().setLength(0);
    }

    /** Records first-attempt outcomes, in the settling thread, in batch order. */
    private static void record(QueueEvent event) {
      if (event instanceof QueueEvent.Acked a && a.attempts() == 1) {
        OUTCOMES.get().append('A');
      } else if (event instanceof QueueEvent.Retried r && r.attempts() == 1) {
        OUTCOMES.get().append('R');
      }
    }

    private static String settled() {
      StringBuilder outcomes = OUTCOMES.get();
      String result = outcomes.length() == 0 ? "late" : outcomes.toString();
      outcomes.setLength(0);
      return result;
    }

    private MessageBatch<String> batch() {
      MessageBatch<String> b = batch;
      if (b == null) {
        throw new IllegalStateException("no batch");
      }
      return b;
    }

    @Operation
    public void ack(@Param(name = "i") int i) {
      messages.get(i).ack();
    }

    @Operation
    public void retry(@Param(name = "i") int i) {
      messages.get(i).retry();
    }

    @Operation
    public void ackAll() {
      batch().ackAll();
    }

    @Operation
    public void retryAll() {
      batch().retryAll();
    }

    /** The last pending stage completes: the invocation succeeds. */
    @Operation(runOnce = true)
    public String finish() {
      stage.complete(null);
      return settled();
    }

    /** The handler deadline passes: the invocation fails. */
    @Operation(runOnce = true)
    public String timeOut() {
      Invocation<?> running = invocation;
      if (running == null) {
        throw new IllegalStateException("no invocation");
      }
      running.timeOut();
      return settled();
    }
  }

  /**
   * The documented rules, sequentially: the first mark of a message wins; a batch-level mark covers
   * unmarked messages and disables later marks; marks after settlement are ignored; settlement
   * happens once, by whichever of {@code finish} and {@code timeOut} comes first.
   */
  public static class MarkingSpec {
    private final char[] marks = new char[2];
    private char batchMark;
    private boolean settled;

    @Operation
    public void ack(@Param(name = "i") int i) {
      mark(i, 'A');
    }

    @Operation
    public void retry(@Param(name = "i") int i) {
      mark(i, 'R');
    }

    private void mark(int i, char value) {
      if (!settled && batchMark == 0 && marks[i] == 0) {
        marks[i] = value;
      }
    }

    @Operation
    public void ackAll() {
      markBatch('A');
    }

    @Operation
    public void retryAll() {
      markBatch('R');
    }

    private void markBatch(char value) {
      if (!settled && batchMark == 0) {
        batchMark = value;
      }
    }

    @Operation(runOnce = true)
    public String finish() {
      return settle('A');
    }

    @Operation(runOnce = true)
    public String timeOut() {
      return settle('R');
    }

    private String settle(char byOutcome) {
      if (settled) {
        return "late";
      }
      settled = true;
      StringBuilder outcomes = new StringBuilder();
      for (char mark : marks) {
        outcomes.append(mark != 0 ? mark : batchMark != 0 ? batchMark : byOutcome);
      }
      return outcomes.toString();
    }
  }

  private static Actor actor(String operation) throws NoSuchMethodException {
    return new Actor(MarkingProtocol.class.getMethod(operation), List.of());
  }

  /**
   * Model checking of one scenario: the handler timeout races a stage that completes and then an
   * {@code ackAll()}. Sequentially, {@code finish()} returning "late" means the timeout settled
   * first, so the later {@code ackAll()} must have no effect and {@code timeOut()} must return
   * "RR". Was an engine bug, now fixed (see {@code
   * ReliabilityHandlerFaultsTest#aMarkMadeAfterTheHandlerTimeoutDecidedTheOutcomeHasNoEffect}):
   * {@code Invocation.timeOut()} sets {@code settled} long before it closes the marks, so the
   * {@code ackAll()} lands and {@code timeOut()} returns "AA".
   */
  @Test
  void markingProtocolRacingTheHandlerTimeoutUnderModelChecking() throws Exception {
    ExecutionScenario race = new ExecutionScenario(
        List.of(),
        List.of(List.of(actor("timeOut")), List.of(actor("finish"), actor("ackAll"))),
        List.of(),
        null);
    new ModelCheckingOptions()
        .iterations(0) // only the scenario above
        .addCustomScenario(race)
        .invocationsPerIteration(100)
        .sequentialSpecification(MarkingSpec.class)
        .check(MarkingProtocol.class);
  }

  @Test
  void markingProtocolIsLinearizableUnderStress() {
    new StressOptions()
        .iterations(5)
        .invocationsPerIteration(200)
        .threads(3)
        .actorsPerThread(2)
        .sequentialSpecification(MarkingSpec.class)
        .check(MarkingProtocol.class);
  }

  // ---- BacklogBudget

  /** The engine's memory budget, limit 10: reserve, charge and release race. */
  @Param(name = "bytes", gen = IntGen.class, conf = "1:6")
  public static class Budget {
    private final BacklogBudget budget = new BacklogBudget(10);

    @Operation
    public long tryReserve(@Param(name = "bytes") int bytes) {
      return budget.tryReserve(bytes);
    }

    @Operation
    public void charge(@Param(name = "bytes") int bytes) {
      budget.charge(bytes);
    }

    @Operation
    public void release(@Param(name = "bytes") int bytes) {
      budget.release(bytes);
    }

    @Operation
    public long used() {
      return budget.used();
    }
  }

  @Test
  void backlogBudgetIsLinearizableUnderModelChecking() {
    new ModelCheckingOptions()
        .iterations(5)
        .invocationsPerIteration(200)
        .threads(3)
        .actorsPerThread(3)
        .check(Budget.class);
  }

  @Test
  void backlogBudgetIsLinearizableUnderStress() {
    new StressOptions()
        .iterations(5)
        .invocationsPerIteration(200)
        .threads(3)
        .actorsPerThread(3)
        .check(Budget.class);
  }

  @Test
  void theSpecificationFollowsTheDocumentedRules() {
    MarkingSpec spec = new MarkingSpec();
    spec.ack(0);
    spec.retry(0); // the first mark wins
    spec.retryAll(); // covers message 1 only
    spec.ack(1); // after a batch-level mark: ignored
    assertThat(spec.finish()).isEqualTo("AR");
    assertThat(spec.timeOut()).isEqualTo("late");
    MarkingSpec failing = new MarkingSpec();
    failing.ack(1);
    assertThat(failing.timeOut()).isEqualTo("RA");
  }
}
