package io.attune.core.persistence;

import io.attune.model.json.Json;
import org.hibernate.cfg.MappingSettings;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The persistence module: JPA for the entities and the reads (docs/architecture.md, "JPA and SQL"). The services' applications live in
 * their own packages, so the entities and the Spring Data repositories of service-core are named here. Flyway owns
 * the schema; {@code spring.jpa.hibernate.ddl-auto=validate} (attune-defaults.properties) checks the mapping against
 * it at start-up. Boot's JpaTransactionManager is the one transaction manager: JdbcClient joins its transactions,
 * since both use the same DataSource.
 */
@AutoConfiguration(before = HibernateJpaAutoConfiguration.class)
@EntityScan(basePackages = "io.attune.core")
// no transaction of their own around the repositories' reads: a read outside a transaction is one statement in
// autocommit, as JdbcClient's are, instead of begin, read and commit; inside one it joins it as before
@EnableJpaRepositories(basePackages = "io.attune.core", enableDefaultTransactions = false)
public class PersistenceAutoConfiguration {

    @Bean
    HibernatePropertiesCustomizer jsonColumnsWithJackson3() {
        return properties -> properties.put(MappingSettings.JSON_FORMAT_MAPPER,
                new Jackson3JsonFormatMapper(Json.mapper()));
    }
}
