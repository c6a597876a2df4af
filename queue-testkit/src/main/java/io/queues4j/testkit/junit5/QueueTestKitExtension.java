package io.queues4j.testkit.junit5;

import static java.util.Objects.requireNonNull;

import io.queues4j.testkit.QueueTestKit;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test its own {@link QueueTestKit} and closes it after the test, so a strict kit fails
 * the test that left messages unsettled.
 *
 * <pre>{@code
 * @ExtendWith(QueueTestKitExtension.class)
 * class OrderConsumerTest {
 *   @Test
 *   void acksEveryOrder(QueueTestKit kit) { ... }
 * }
 * }</pre>
 *
 * <p>The kit is injected into parameters of type {@code QueueTestKit} of test methods and of
 * {@code @BeforeEach}/{@code @AfterEach} methods; all of them get the same kit within one test. It
 * is closed after the {@code @AfterEach} methods. For non-default kits, register the extension
 * with a factory: {@code @RegisterExtension QueueTestKitExtension queues = new
 * QueueTestKitExtension(() -> QueueTestKit.builder().strict(false).build());}
 *
 * <p>Works with JUnit Jupiter 5.10 and later, including 6.x (the build runs it on 5.11 and 6).
 *
 * <p><b>Thread-safety:</b> stateless apart from its factory; JUnit may share it across tests.
 */
public final class QueueTestKitExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(QueueTestKitExtension.class);

  private final Supplier<QueueTestKit> factory;

  /** Creates an extension that gives each test a {@link QueueTestKit#create()} kit. */
  public QueueTestKitExtension() {
    this(QueueTestKit::create);
  }

  /**
   * Creates an extension that gives each test a kit made by {@code factory}.
   *
   * @param factory makes a new kit per test
   */
  public QueueTestKitExtension(Supplier<QueueTestKit> factory) {
    this.factory = requireNonNull(factory, "factory");
  }

  /**
   * Supports parameters of type {@link QueueTestKit} of methods (not constructors).
   *
   * @param parameterContext the parameter
   * @param extensionContext the context
   * @return whether this extension resolves the parameter
   */
  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == QueueTestKit.class
        && parameterContext.getDeclaringExecutable() instanceof Method;
  }

  /**
   * Returns the current test's kit, creating it on first use.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context
   * @return the kit
   */
  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    // get + put rather than Store.computeIfAbsent (JUnit 6 only: NoSuchMethodError on 5.x) or
    // getOrComputeIfAbsent (deprecated in 6): both exist unchanged from Jupiter 5.0 to 6.x. One
    // test's parameters are resolved on that test's thread, so the two calls cannot race.
    ExtensionContext.Store store = extensionContext.getStore(NAMESPACE);
    QueueTestKit kit = store.get(QueueTestKit.class, QueueTestKit.class);
    if (kit == null) {
      kit = requireNonNull(factory.get(), "the factory returned null");
      store.put(QueueTestKit.class, kit);
    }
    return kit;
  }

  /**
   * Closes the current test's kit, if one was created.
   *
   * @param context the context
   * @throws AssertionError if the kit is strict and messages were left unsettled
   */
  @Override
  public void afterEach(ExtensionContext context) {
    QueueTestKit kit = context.getStore(NAMESPACE).remove(QueueTestKit.class, QueueTestKit.class);
    if (kit != null) {
      kit.close();
    }
  }
}
