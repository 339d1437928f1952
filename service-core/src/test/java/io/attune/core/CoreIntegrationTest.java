package io.attune.core;

import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.identity.Identity;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.identity.Role;
import io.attune.testsupport.AttuneTestEnvironment;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;

import java.util.EnumSet;
import java.util.UUID;

/** A core "service" on a database and broker namespace of its own (per test class). */
@SpringBootTest(classes = CoreTestApplication.class, properties = "spring.application.name=core-test")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class CoreIntegrationTest {
    protected static AttuneTestEnvironment environment;

    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected ExecutionRepository executions;
    @Autowired
    protected IdentityRepository identities;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        environment = AttuneTestEnvironment.create();
        environment.register(registry);
    }

    protected Execution runningExecution() {
        Execution execution = executions.insert("examples.test_action", null, null);
        jdbc.sql("UPDATE attune.execution SET status = 'running' WHERE id = ?").param(execution.id()).update();
        return executions.find(execution.id()).orElseThrow();
    }

    protected Identity identity(Role... roles) {
        String login = "user-" + UUID.randomUUID().toString().substring(0, 8);
        return identities.create(login, login, "not-a-real-hash",
                roles.length == 0 ? EnumSet.of(Role.USER) : EnumSet.of(roles[0], roles));
    }
}
