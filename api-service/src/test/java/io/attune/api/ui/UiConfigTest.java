package io.attune.api.ui;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** Behind a proxy or on other ports, ATTUNE_NOTIFIER_PUBLIC_URL tells browsers where the notifier is. */
class UiConfigTest extends ApiIntegrationTest {
    static final String PUBLIC_URL = "wss://attune.example.com/notifications/ws";

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
        registry.add("ATTUNE_NOTIFIER_PUBLIC_URL", () -> PUBLIC_URL);
    }

    @Test
    void theConfiguredNotifierUrlIsWhatTheUiIsTold() {
        Response config = api().get("/app/config.json", null);
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().propertyNames()).containsExactly("notifier_url");
        assertThat(config.json().get("notifier_url").asString()).isEqualTo(PUBLIC_URL);
    }
}
