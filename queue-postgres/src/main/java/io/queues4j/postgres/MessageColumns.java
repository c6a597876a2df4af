package io.queues4j.postgres;

import io.queues4j.spi.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Messages as the column arrays the insert statements unnest, one element per message, in order:
 * {@code visible_at}, {@code id_high}, {@code id_low}, {@code sent_at}, {@code content_type},
 * {@code body}.
 */
final class MessageColumns {
  private final Long[] visible;
  private final Long[] high;
  private final Long[] low;
  private final Long[] sent;
  private final Short[] types;
  private final byte[][] bodies;

  MessageColumns(List<StoredMessage> messages) {
    int n = messages.size();
    visible = new Long[n];
    high = new Long[n];
    low = new Long[n];
    sent = new Long[n];
    types = new Short[n];
    bodies = new byte[n][];
    for (int i = 0; i < n; i++) {
      StoredMessage m = messages.get(i);
      visible[i] = m.visibleAt();
      high[i] = m.idHigh();
      low[i] = m.idLow();
      sent[i] = m.timestamp();
      types[i] = PostgresQueueStore.contentTypeCode(m.contentType());
      bodies[i] = m.body();
    }
  }

  /**
   * Binds the six arrays to the parameters from {@code first} on.
   *
   * @return the index of the next parameter
   */
  int bind(PreparedStatement st, int first, Connection connection) throws SQLException {
    st.setArray(first, connection.createArrayOf("int8", visible));
    st.setArray(first + 1, connection.createArrayOf("int8", high));
    st.setArray(first + 2, connection.createArrayOf("int8", low));
    st.setArray(first + 3, connection.createArrayOf("int8", sent));
    st.setArray(first + 4, connection.createArrayOf("int2", types));
    st.setArray(first + 5, connection.createArrayOf("bytea", bodies));
    return first + 6;
  }
}
