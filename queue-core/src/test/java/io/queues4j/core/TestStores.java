package io.queues4j.core;

import io.queues4j.spi.MessageStore;
import java.lang.reflect.Method;

/**
 * The store the behaviour suites run on: the in-memory store, or the one named by the system
 * property {@code queues4j.test.store}, a class with a public static no-argument {@code create()}
 * method (or a public no-argument constructor) returning a fresh, empty {@link MessageStore}. A
 * store module runs these suites unchanged by setting the property (see docs/STORAGE.md).
 */
public final class TestStores {
  /** The system property naming the store factory class. */
  public static final String PROPERTY = "queues4j.test.store";

  private TestStores() {}

  /** An engine builder on a fresh store of the configured kind. */
  static QueueEngine.Builder engine() {
    return QueueEngine.builder().store(create());
  }

  /**
   * Creates a fresh store of the configured kind.
   *
   * @return a new, empty store
   */
  public static MessageStore create() {
    String factory = System.getProperty(PROPERTY);
    if (factory == null || factory.isBlank()) {
      return InMemoryStore.create();
    }
    try {
      Class<?> type = Class.forName(factory);
      try {
        Method create = type.getMethod("create");
        return (MessageStore) create.invoke(null);
      } catch (NoSuchMethodException e) {
        return (MessageStore) type.getConstructor().newInstance();
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot create the test store " + factory + " named by -D" + PROPERTY, e);
    }
  }
}
