package io.attune.api;

import io.attune.model.json.Json;
import io.attune.testsupport.AttuneTestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service configured only by the docs/protocol.md §6 variables, as {@code java -jar} runs it. */
class StartupTest {

    static ConfigurableApplicationContext run(AttuneTestEnvironment environment, Map<String, String> overrides) {
        Map<String, String> variables = new LinkedHashMap<>(environment.variables());
        variables.put("SERVER_PORT", "0");
        variables.putAll(overrides);
        List<String> args = new ArrayList<>();
        variables.forEach((name, value) -> args.add("--" + name + "=" + value));
        return new SpringApplicationBuilder(ApiApplication.class).run(args.toArray(String[]::new));
    }

    @Test
    void refusesToStartWithoutASecretOfAtLeast32Bytes() {
        AttuneTestEnvironment environment = AttuneTestEnvironment.create();
        for (String secret : List.of("", "only-31-bytes-long-secret-12345")) {
            assertThatThrownBy(() -> run(environment, Map.of("ATTUNE_JWT_SECRET", secret)).close())
                    .rootCause().hasMessageContaining("ATTUNE_JWT_SECRET").hasMessageContaining("32 bytes");
        }
    }

    @Test
    void theTokenLifetimeIsConfigurable() {
        AttuneTestEnvironment environment = AttuneTestEnvironment.create();
        try (ConfigurableApplicationContext service = run(environment, Map.of("ATTUNE_JWT_EXPIRY", "2m",
                "ATTUNE_ADMIN_PASSWORD", "bootstrap-password"))) {
            int port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
            ApiClient.Response login = new ApiClient(port).post("/auth/login", null,
                    Json.write(Map.of("login", "admin", "password", "bootstrap-password")));
            assertThat(login.status()).isEqualTo(200);
            assertThat(login.data().get("expires_in").asLong()).isEqualTo(120);
            assertThat(login.data().get("user").get("roles").toString()).isEqualTo("[\"admin\"]");
        }
    }
}
