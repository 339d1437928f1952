package io.attune.core.config;

import io.attune.model.json.Json;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every service gets first: the suite's one JSON mapper, and the database created when the server has none of
 * that name. (The ATTUNE_* variables are mapped before any of this, by {@link AttuneDefaults}.)
 */
@AutoConfiguration(before = {JacksonAutoConfiguration.class, DataSourceAutoConfiguration.class})
public class CommonAutoConfiguration {

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
