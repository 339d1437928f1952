package io.attune.core.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Adds {@code attune-defaults.properties} as the last property source of every service, so that the CONTRACT §6
 * variables configure Spring (datasource, broker, management endpoints) without each service repeating the mapping.
 */
public class AttuneDefaults implements EnvironmentPostProcessor {
    static final String NAME = "attuneDefaults";

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
    }
}
