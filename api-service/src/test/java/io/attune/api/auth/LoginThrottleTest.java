package io.attune.api.auth;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.model.json.Json;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.mockito.Mockito;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * Login throttling: 5 failures for one name within 15 minutes, then 429 for that name whatever the password; 30
 * failures from one address within a minute, then 429 for every login from it. Refused attempts compute no hash.
 * Every request of this class comes from 127.0.0.1, so the per-address rule is tried last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoginThrottleTest extends ApiIntegrationTest {
    @MockitoSpyBean
    PasswordEncoder passwords;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @Test
    @Order(1)
    void fiveFailuresForANameRefuseItWhateverThePassword() {
        createUser("ada", "correct-horse");
        for (int i = 0; i < 5; i++) {
            assertError(login("ada", "wrong-" + i), 401, "UNAUTHORIZED");
        }
        Mockito.clearInvocations(passwords);

        Response refused = login("ada", "correct-horse");
        assertError(refused, 429, "RATE_LIMITED");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 15 * 60L);
        assertError(login("ada", "wrong-again"), 429, "RATE_LIMITED");
        verify(passwords, never()).matches(any(), any());

        // another name is not affected, and the refusals were not counted as failures
        createUser("bob", "correct-battery");
        assertThat(login("bob", "correct-battery").status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM attune.login_failure WHERE login = 'ada'").query(Long.class).single())
                .isEqualTo(5);
    }

    @Test
    @Order(2)
    void theNameIsLetInAgainWhenTheOldestFailureLeavesTheWindow() {
        createUser("carol", "correct-staple");
        for (int i = 0; i < 5; i++) {
            assertError(login("carol", "wrong-" + i), 401, "UNAUTHORIZED");
        }
        assertError(login("carol", "correct-staple"), 429, "RATE_LIMITED");
        // the failures age past the 15-minute window (the database's clock decides)
        jdbc.sql("UPDATE attune.login_failure SET occurred = occurred - interval '15 minutes 1 second' "
                + "WHERE login = 'carol'").update();
        assertThat(login("carol", "correct-staple").status()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void thirtyFailuresFromAnAddressRefuseEveryLoginFromIt() {
        createUser("dave", "correct-horse");
        jdbc.sql("DELETE FROM attune.login_failure").update();
        for (int i = 0; i < 30; i++) {
            assertError(login("nobody-" + i, "guess"), 401, "UNAUTHORIZED");
        }
        Mockito.clearInvocations(passwords);

        Response refused = login("dave", "correct-horse");
        assertError(refused, 429, "RATE_LIMITED");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        verify(passwords, never()).matches(any(), any());

        jdbc.sql("UPDATE attune.login_failure SET occurred = occurred - interval '61 seconds'").update();
        assertThat(login("dave", "correct-horse").status()).isEqualTo(200);
    }

    private void createUser(String login, String password) {
        Response created = api().post("/api/v1/identities", token(admin()),
                Json.write(Map.of("login", login, "password", password)));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
    }

    private Response login(String login, String password) {
        return api().post("/auth/login", null, Json.write(Map.of("login", login, "password", password)));
    }
}
