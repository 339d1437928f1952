package io.attune.core.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns entities read through JPA into the records the rest of the code uses, and lets go of them at once. The
 * writes are SQL that Hibernate does not see: an entity kept in the persistence context would be returned as it was
 * by a later read in the same transaction, after such an update. Detached, every read goes to the database.
 */
public final class ReadOnlyEntities {
    private final EntityManagerFactory factory;

    public ReadOnlyEntities(EntityManager entityManager) {
        this.factory = entityManager.getEntityManagerFactory();
    }

    public <E, R> R one(E entity, Function<E, R> toRecord) {
        return toRecord(entity, toRecord, transactional());
    }

    public <E, R> Optional<R> one(Optional<E> entity, Function<E, R> toRecord) {
        return entity.map(e -> one(e, toRecord));
    }

    public <E, R> List<R> all(List<E> entities, Function<E, R> toRecord) {
        EntityManager transactional = transactional();
        return entities.stream().map(e -> toRecord(e, toRecord, transactional)).toList();
    }

    /**
     * The transaction's EntityManager, or null outside a transaction, where the read's own EntityManager is closed
     * already (asking the shared one would open and close an EntityManager per entity just to hear "not kept").
     */
    private EntityManager transactional() {
        return EntityManagerFactoryUtils.getTransactionalEntityManager(factory);
    }

    private static <E, R> R toRecord(E entity, Function<E, R> toRecord, EntityManager transactional) {
        R record = toRecord.apply(entity);
        if (transactional != null && transactional.contains(entity)) {
            transactional.detach(entity);
        }
        return record;
    }
}
