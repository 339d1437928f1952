package io.attune.e2e;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunningSuiteSmokeTest {

    @Test
    void startsTheJarsConfiguredOnlyByTheEnvironmentAndStopsThem() {
        RunningSuite suite = RunningSuite.start("api", "executor");
        try {
            assertThat(suite.adminToken()).isNotBlank();
            assertThat(suite.services()).allSatisfy(s -> assertThat(s.isHealthy()).isTrue());
        } finally {
            suite.close();
        }
        assertThat(suite.services()).noneSatisfy(s -> assertThat(s.isAlive()).isTrue());
    }
}
