package io.attune.testsupport;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestServicesTest {

    @Test
    void everyTestDatabaseIsNewAndEmpty() throws SQLException {
        TestDatabase first = TestServices.get().newDatabase();
        TestDatabase second = TestServices.get().newDatabase();
        assertThat(first.name()).isNotEqualTo(second.name());
        try (Connection c = first.connect()) {
            c.createStatement().execute("CREATE TABLE only_in_first (x int)");
        }
        try (Connection c = second.connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void everyNamespaceHasItsOwnExchangeAndQueuePrefix() {
        AmqpNamespace first = TestServices.get().newAmqpNamespace();
        AmqpNamespace second = TestServices.get().newAmqpNamespace();
        assertThat(first.exchange()).startsWith("attune.executions.").isNotEqualTo(second.exchange());
        assertThat(first.queuePrefix()).isNotEqualTo(second.queuePrefix());
    }

    @Test
    void aCutProxyRefusesConnectionsUntilRestored() throws SQLException {
        PostgresEndpoint postgres = TestServices.get().postgres();
        try (TcpProxy proxy = new TcpProxy(postgres.host(), postgres.port())) {
            PostgresEndpoint viaProxy = new PostgresEndpoint("proxy", proxy.host(), proxy.port(), postgres.user(),
                    postgres.password());
            try (Connection c = viaProxy.connect("postgres")) {
                assertThat(c.isValid(2)).isTrue();
                proxy.cut();
                assertThat(c.isValid(2)).as("open connections are reset").isFalse();
            }
            assertThatThrownBy(() -> viaProxy.connect("postgres").close()).isInstanceOf(SQLException.class);
            proxy.restore();
            try (Connection c = viaProxy.connect("postgres")) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }

    @Test
    void anUnknownModeIsRefusedWithTheAcceptedOnes() {
        String previous = System.getProperty("attune.test.services");
        System.setProperty("attune.test.services", "docker-please");
        try {
            if (System.getenv("ATTUNE_TEST_SERVICES") == null) {
                assertThatThrownBy(TestServices::requestedMode).hasMessageContaining("auto, containers, local or embedded");
            }
        } finally {
            if (previous == null) {
                System.clearProperty("attune.test.services");
            } else {
                System.setProperty("attune.test.services", previous);
            }
        }
    }
}
