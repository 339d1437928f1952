package io.attune.core.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the configured database on first start when the server has none of that name, so that a fresh Postgres
 * only needs to be running (the default {@code jdbc:postgresql://127.0.0.1:5432/attune} included). Flyway then
 * creates the schema.
 */
public class DatabaseCreator implements BeanPostProcessor {
    private static final Logger log = LoggerFactory.getLogger(DatabaseCreator.class);
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/]*/)([^?]+)(\\?.*)?$");
    private static final String INVALID_CATALOG = "3D000";

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSourceProperties properties && properties.getUrl() != null) {
            createIfMissing(properties.getUrl(), properties.getUsername(), properties.getPassword());
        }
        return bean;
    }

    static void createIfMissing(String url, String user, String password) {
        try (Connection ignored = DriverManager.getConnection(url, user, password)) {
            return;
        } catch (SQLException e) {
            if (!INVALID_CATALOG.equals(e.getSQLState())) {
                return; // not ours to handle here: the pool reports it (e.g. server down) with its own retries
            }
        }
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            return;
        }
        String database = m.group(2);
        String maintenanceUrl = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = DriverManager.getConnection(maintenanceUrl, user, password)) {
            c.createStatement().execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            log.info("Created database {}", database);
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // created meanwhile by another service: fine
                log.warn("Database {} does not exist and could not be created: {}", database, e.getMessage());
            }
        }
    }
}
