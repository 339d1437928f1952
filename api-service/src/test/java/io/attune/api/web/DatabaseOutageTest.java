package io.attune.api.web;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.testsupport.TcpProxy;
import io.attune.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Postgres goes away: 503 UNAVAILABLE (not 500), and service resumes when it is back. */
class DatabaseOutageTest extends ApiIntegrationTest {
    static TcpProxy database;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        database = new TcpProxy(TestServices.get().postgres().host(), TestServices.get().postgres().port());
        start(registry, environment -> environment.viaDatabaseProxy(database));
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
    }

    @AfterAll
    static void closeProxy() {
        database.close();
    }

    @Test
    void aDatabaseOutageIsServiceUnavailable() {
        Identity ada = identity(); // the context is up and talking to the database through the proxy
        String token = token(ada);
        assertThat(api().get("/api/v1/inquiries", token).status()).isEqualTo(200);

        database.cut();
        try {
            assertError(api().get("/api/v1/inquiries", token), 503, "UNAVAILABLE");
            assertError(api().get("/api/v1/inquiries/1", token), 503, "UNAVAILABLE");
            assertError(api().post("/api/v1/inquiries/1/respond", token, "{\"response\": {\"approved\": true}}"), 503,
                    "UNAVAILABLE");
            assertError(api().post("/api/v1/executions", token, "{\"action_ref\": \"examples.a\"}"), 503,
                    "UNAVAILABLE");
            assertError(api().post("/auth/login", null, "{\"login\": \"admin\", \"password\": \"" + ADMIN_PASSWORD
                    + "\"}"), 503, "UNAVAILABLE");
            assertThat(api().get("/actuator/health", null).status()).isEqualTo(503);
            // whether a pooled connection breaks under the request or no new one can be opened: 503 alike
            for (int i = 0; i < 3; i++) {
                assertError(api().get("/api/v1/inquiries?page=" + (i + 1), token), 503, "UNAVAILABLE");
            }
            // a client's mistake is still the client's mistake (where no token needs the database to be checked)
            assertError(api().post("/auth/login", null, "{not json"), 400, "BAD_REQUEST");
        } finally {
            database.restore();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Response back = api().get("/api/v1/inquiries", token);
            assertThat(back.status()).isEqualTo(200);
        });
        assertThat(api().post("/api/v1/executions", token, "{\"action_ref\": \"examples.a\"}").status())
                .isEqualTo(201);
    }
}
