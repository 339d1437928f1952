package io.attune.core.config;

import io.attune.core.CoreIntegrationTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Several processes share one Postgres (api, two executors, two notifiers, a worker): an idle one must not hold a
 * full pool of connections, or the suite exhausts a default {@code max_connections} of 100 before it takes a request.
 */
class ConnectionFootprintTest extends CoreIntegrationTest {

    @Test
    void anIdleServiceHoldsOnlyAFewDatabaseConnections() {
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
                        .query(Long.class).single(), connections -> connections <= 4);
    }
}
