package io.queues4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Each test run is on the PostgreSQL major version its surefire execution names. */
class ServerVersionTest {
  @Test
  void theServerIsTheExpectedMajorVersion() throws Exception {
    String expected = System.getProperty("queues4j.test.postgres.major", "14");
    try (Connection c = TestDatabase.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW server_version_num")) {
      rs.next();
      assertThat(rs.getInt(1) / 10_000).isEqualTo(Integer.parseInt(expected));
    }
  }
}
