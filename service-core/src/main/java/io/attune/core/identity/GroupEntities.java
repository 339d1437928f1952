package io.attune.core.identity;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

/** The reads of groups (Spring Data); the writes and the row lock are SQL in {@link GroupRepository}. */
interface GroupEntities extends JpaRepository<GroupEntity, Long> {

    Optional<GroupEntity> findByName(String name);

    /** A page without a count (the list counts on its own). */
    List<GroupEntity> findAllBy(Pageable page);
}
