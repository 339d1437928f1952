package io.attune.core.persistence;

import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.bytecode.spi.BytecodeProvider;
import org.hibernate.service.spi.ServiceContributor;

/**
 * Hibernate without ByteBuddy: the entities are read and written by reflection, and no proxy class is generated for
 * them. They have no associations to load lazily (ids and JSON columns only), so no proxy is ever needed; what is
 * saved is the proxy generation at every start and the ~400 classes it loaded (0.4 s of CPU per service start;
 * docs/benchmarks.md, the analysis of the full run of 2026-12-05 19:47). Registered in META-INF/services; Hibernate
 * applies it to every persistence unit it builds.
 */
public class ReflectionOnlyEntities implements ServiceContributor {

    @Override
    public void contribute(StandardServiceRegistryBuilder registry) {
        if (!Boolean.getBoolean("attune.hibernate.bytebuddy")) {
            registry.addService(BytecodeProvider.class, new org.hibernate.bytecode.internal.none.BytecodeProviderImpl());
        }
    }
}
