package io.attune.core;

import io.attune.core.config.DatabaseCreator;
import io.attune.model.json.Json;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every service imports: persistence, the outbox and its relay, the broker topology and consumers, the
 * execution and inquiry transitions. Token checking is separate ({@link io.attune.core.security.TokenConfiguration}),
 * for the services that take requests from people.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackageClasses = CoreConfiguration.class, excludeFilters = {
        @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.attune\\.core\\.security\\..*"),
        // only for the management port's own context (see its imports file), never the service's
        @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = ManagementContextConfiguration.class)})
public class CoreConfiguration {

    /** The suite's one JSON mapper (snake_case, ISO-8601 UTC) also serves HTTP and WebSocket bodies. */
    @Bean
    JsonMapper jsonMapper() {
        return Json.mapper();
    }

    @Bean
    static DatabaseCreator databaseCreator() {
        return new DatabaseCreator();
    }
}
