package io.attune.core.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Adds {@code attune-defaults.properties} as the last property source of every service, so that the docs/protocol.md §6
 * variables configure Spring (datasource, broker, management endpoints) without each service repeating the mapping.
 */
public class AttuneDefaults implements EnvironmentPostProcessor {
    static final String NAME = "attuneDefaults";
    static final String MANAGEMENT_PORT = "ATTUNE_MANAGEMENT_PORT";
    static final String MANAGEMENT_ADDRESS = "ATTUNE_MANAGEMENT_ADDRESS";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(NAME)) {
            return;
        }
        try {
            environment.getPropertySources()
                    .addLast(new ResourcePropertySource(NAME, new ClassPathResource("attune-defaults.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String managementPort = environment.getProperty(MANAGEMENT_PORT, "");
        if (!managementPort.isBlank()) {
            // the actuator moves to its own port, on the loopback interface unless told otherwise (docs/security.md)
            environment.getPropertySources().addBefore(NAME, new MapPropertySource(NAME + "Management", Map.of(
                    "management.server.port", managementPort.trim(),
                    "management.server.address", environment.getProperty(MANAGEMENT_ADDRESS, "127.0.0.1"))));
        }
    }
}
