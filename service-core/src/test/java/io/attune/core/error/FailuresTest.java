package io.attune.core.error;

import io.attune.core.CoreIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.ConnectException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What kind of failure each one is, decided in one place; the database's own failures are produced for real. */
class FailuresTest extends CoreIntegrationTest {
    @Autowired
    TransactionTemplate transactions;

    @Test
    void aStatementTimeoutIsContentionNotAnOutage() {
        Throwable timeout = catchThrowable(() -> transactions.executeWithoutResult(tx -> {
            jdbc.sql("SET LOCAL statement_timeout = 50").update();
            jdbc.sql("SELECT pg_sleep(2)").query(Object.class).list();
        }));

        assertThat(Failures.isOutage(timeout)).as("%s", timeout).isFalse();
        assertThat(Failures.isContention(timeout)).isTrue();
    }

    @Test
    void aDatabaseThatRefusesConnectionsIsAnOutage() {
        Throwable refused = catchThrowable(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:1/none",
                "postgres", ""));

        assertThat(refused).isInstanceOf(SQLException.class);
        assertThat(Failures.isOutage(refused)).isTrue();
        assertThat(Failures.isOutage(new CannotGetJdbcConnectionException("no connection",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available")))).isTrue();
    }

    @Test
    void aValueTheDatabaseCannotStoreIsNeitherAnOutageNorContention() {
        Throwable nul = catchThrowable(() -> jdbc.sql("SELECT ?::jsonb").param("{\"a\": \"\\u0000\"}")
                .query(Object.class).single());

        assertThat(Failures.isUnstorableValue(nul)).as("%s", nul).isTrue();
        assertThat(Failures.isOutage(nul)).isFalse();
        assertThat(Failures.isContention(nul)).isFalse();
        assertThat(Failures.databaseMessage(nul)).contains("unsupported Unicode escape sequence");
    }

    @Test
    void deadlocksAndSerializationFailuresAreContention() {
        assertThat(Failures.isOutage(new CannotAcquireLockException("deadlock",
                new SQLException("deadlock detected", "40P01")))).isFalse();
        assertThat(Failures.isContention(new CannotAcquireLockException("deadlock",
                new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(Failures.isContention(new SQLException("could not serialize access", "40001"))).isTrue();
    }

    @Test
    void anUnreachableBrokerIsAnOutage() {
        assertThat(Failures.isOutage(new AmqpConnectException(new ConnectException("Connection refused")))).isTrue();
        assertThat(Failures.isOutage(new IllegalStateException("a defect"))).isFalse();
    }
}
