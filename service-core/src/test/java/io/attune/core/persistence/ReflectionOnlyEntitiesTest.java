package io.attune.core.persistence;

import io.attune.core.CoreIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.bytecode.spi.BytecodeProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The services' Hibernate runs without ByteBuddy, and the entities are still read. */
class ReflectionOnlyEntitiesTest extends CoreIntegrationTest {
    @Autowired
    EntityManagerFactory entityManagerFactory;

    @Test
    void hibernateUsesTheReflectionOnlyBytecodeProviderAndStillReadsEntities() {
        BytecodeProvider provider = entityManagerFactory.unwrap(SessionFactoryImplementor.class).getServiceRegistry()
                .requireService(BytecodeProvider.class);
        assertThat(provider).isInstanceOf(org.hibernate.bytecode.internal.none.BytecodeProviderImpl.class);

        Identity ada = identity(Role.USER);
        assertThat(identities.findById(ada.id()).orElseThrow().login()).isEqualTo(ada.login());
    }
}
