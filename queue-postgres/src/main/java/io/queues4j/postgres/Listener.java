package io.queues4j.postgres;

import io.queues4j.QueueMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one long-lived connection and its thread ({@code queues4j-postgres-listener-N}):
 *
 * <ul>
 *   <li><b>Wake-ups.</b> It {@code LISTEN}s on the schema's channel. A transaction that adds or
 *       returns messages sends {@code NOTIFY} with the queue's id, delivered when it commits; the
 *       listener hands the queue's wake-up to a worker thread (never running engine code itself).
 *       Notifications of this store's own transactions are ignored: its engine knows already.
 *   <li><b>Polling, the fallback.</b> Every so often it asks which subscribed queues have ready
 *       messages, or claims whose lease ended, and wakes them: this catches what no notification
 *       announces (a lease that ran out in a process that died, a notification lost while the
 *       connection was down). The interval starts at {@link #MIN_POLL_MILLIS}, doubles after each
 *       poll that finds nothing, up to the store's poll interval, and drops back when one finds
 *       something.
 *   <li><b>Metrics.</b> At the metrics interval it reads every open queue's totals (count, bytes,
 *       oldest), so that {@code metrics()} reflects other engines' work without ever blocking, and
 *       folds the outbox's counter rows.
 *   <li><b>Reconnecting.</b> When the connection fails it is dropped and a new one is tried, after
 *       100 ms, then doubling up to 5 s; once it is back, every subscribed queue is woken (a
 *       notification may have been missed).
 * </ul>
 */
final class Listener {
  private static final Logger logger = LoggerFactory.getLogger(Listener.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** The shortest wait between two polls. */
  static final long MIN_POLL_MILLIS = 100;

  private static final long MAX_RECONNECT_MILLIS = 5_000;

  private final PostgresStore store;
  private final Sql sql;
  private final String ownPrefix;
  private final long maxPollMillis;
  private final long refreshMillis;
  private final Thread thread;
  private final Object wait = new Object();
  private volatile boolean closed;
  /** Set once the first connection listens and its wake-up of every queue was handed over. */
  private volatile boolean listening;
  private @Nullable Connection connection; // confined to the thread
  private long pollMillis = MIN_POLL_MILLIS;
  private long nextPoll;
  private long nextRefresh;
  private boolean down; // a failure was logged and the connection is not back yet

  Listener(PostgresStore store, Sql sql, long owner, long maxPollMillis, long refreshMillis) {
    this.store = store;
    this.sql = sql;
    this.ownPrefix = Long.toHexString(owner) + ":";
    this.maxPollMillis = maxPollMillis;
    this.refreshMillis = refreshMillis;
    this.thread = new Thread(this::run, "queues4j-postgres-listener-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    long reconnectMillis = 100;
    while (!closed) {
      try {
        Connection c = connection;
        if (c == null) {
          c = connect();
          reconnectMillis = 100;
        }
        listenOnce(c);
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          break;
        }
        disconnect();
        if (!down) {
          down = true;
          logger.warn("{} lost its listening connection ({}); reconnecting, polling meanwhile"
              + " is off", store, e.toString());
        }
        pause(reconnectMillis);
        reconnectMillis = Math.min(MAX_RECONNECT_MILLIS, reconnectMillis * 2);
      }
    }
    disconnect();
  }

  /** Whether the listener has connected once (and woken every queue then). */
  boolean listening() {
    return listening;
  }

  private Connection connect() throws SQLException {
    Connection c = store.dataSource.getConnection();
    try {
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        st.execute("LISTEN \"" + sql.channel + '"');
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    connection = c;
    if (down) {
      down = false;
      logger.info("{} has its listening connection back", store);
    }
    long now = System.currentTimeMillis();
    nextPoll = now + MIN_POLL_MILLIS;
    pollMillis = MIN_POLL_MILLIS;
    nextRefresh = now;
    store.wakeAll(); // notifications sent while it was away are lost: claim to find out
    listening = true;
    return c;
  }

  /** Waits for notifications until the next poll or refresh is due, then does what is due. */
  private void listenOnce(Connection c) throws SQLException {
    long now = System.currentTimeMillis();
    long waitMillis = Math.max(1, Math.min(nextPoll, nextRefresh) - now);
    PGNotification[] notes =
        c.unwrap(PGConnection.class).getNotifications((int) Math.min(waitMillis, 1_000));
    if (notes != null) {
      for (PGNotification note : notes) {
        String payload = note.getParameter();
        if (payload.startsWith(ownPrefix)) {
          continue;
        }
        int colon = payload.indexOf(':');
        try {
          store.wake(Integer.parseInt(payload.substring(colon + 1)));
        } catch (NumberFormatException e) {
          // "close" (a store of this process waking its listener), or not ours: ignore
        }
      }
    }
    now = System.currentTimeMillis();
    if (now >= nextRefresh && !closed) {
      refresh(c);
      nextRefresh = now + refreshMillis;
    }
    if (now >= nextPoll && !closed) {
      boolean found = poll(c, now);
      pollMillis = found ? MIN_POLL_MILLIS : Math.min(maxPollMillis, pollMillis * 2);
      nextPoll = now + pollMillis;
    }
  }

  /** Wakes the subscribed queues that have ready messages or ended leases; true if any. */
  private boolean poll(Connection c, long now) throws SQLException {
    List<PostgresQueueStore> queues = new ArrayList<>();
    for (PostgresQueueStore q : store.openQueues()) {
      if (q.hasSubscribers()) {
        queues.add(q);
      }
    }
    if (queues.isEmpty()) {
      return false;
    }
    Integer[] ids = new Integer[queues.size()];
    Boolean[] fifo = new Boolean[queues.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = queues.get(i).id;
      fifo[i] = queues.get(i).fifo;
    }
    boolean found = false;
    try (PreparedStatement st = c.prepareStatement(sql.ready)) {
      st.setArray(1, c.createArrayOf("int4", ids));
      st.setArray(2, c.createArrayOf("bool", fifo));
      st.setLong(3, now);
      st.setLong(4, now);
      st.setLong(5, now);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found = true;
          store.wake(rs.getInt(1));
        }
      }
    }
    return found;
  }

  /** Reads the totals of every open queue and folds the outbox's counter rows. */
  private void refresh(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.executeUpdate(sql.foldOutboxCounts);
    }
    List<PostgresQueueStore> queues = new ArrayList<>(store.openQueues());
    if (queues.isEmpty()) {
      return;
    }
    Map<Integer, Long> versions = new HashMap<>();
    Integer[] ids = new Integer[queues.size()];
    for (int i = 0; i < ids.length; i++) {
      PostgresQueueStore q = queues.get(i);
      ids[i] = q.id;
      versions.put(q.id, q.metricsVersion());
    }
    Map<Integer, QueueMetrics> read = new HashMap<>();
    try (PreparedStatement st = c.prepareStatement(sql.backlog)) {
      st.setArray(1, c.createArrayOf("int4", ids));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          read.put(rs.getInt(1), Transaction.metrics(rs.getLong(2), rs.getLong(3),
              rs.getLong(4)));
        }
      }
    }
    for (PostgresQueueStore q : queues) {
      QueueMetrics m = read.get(q.id);
      Long version = versions.get(q.id);
      if (m != null && version != null) {
        q.metricsRefreshed(m, version);
      }
    }
  }

  private void disconnect() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // broken already
      }
    }
  }

  private void pause(long millis) {
    synchronized (wait) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      long left;
      while (!closed && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(wait, left);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Stops the thread: at once if it is pausing, else within its next wait (at most 1 s). */
  void close() {
    closed = true;
    synchronized (wait) {
      wait.notifyAll();
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
