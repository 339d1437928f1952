package io.attune.core.identity;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

/** The reads of identities (Spring Data); the writes and the row lock are SQL in {@link IdentityRepository}. */
interface IdentityEntities extends JpaRepository<IdentityEntity, Long> {

    Optional<IdentityEntity> findByLogin(String login);

    /** A page without a count (the list counts on its own). */
    List<IdentityEntity> findAllBy(Pageable page);
}
