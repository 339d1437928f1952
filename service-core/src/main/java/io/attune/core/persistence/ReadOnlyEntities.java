package io.attune.core.persistence;

import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns entities read through JPA into the records the rest of the code uses, and lets go of them at once. The
 * writes are SQL that Hibernate does not see: an entity kept in the persistence context would be returned as it was
 * by a later read in the same transaction, after such an update. Detached, every read goes to the database.
 */
public final class ReadOnlyEntities {
    private final EntityManager entityManager;

    public ReadOnlyEntities(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public <E, R> R one(E entity, Function<E, R> toRecord) {
        R record = toRecord.apply(entity);
        if (entityManager.contains(entity)) {
            entityManager.detach(entity);
        }
        return record;
    }

    public <E, R> Optional<R> one(Optional<E> entity, Function<E, R> toRecord) {
        return entity.map(e -> one(e, toRecord));
    }

    public <E, R> List<R> all(List<E> entities, Function<E, R> toRecord) {
        return entities.stream().map(e -> one(e, toRecord)).toList();
    }
}
