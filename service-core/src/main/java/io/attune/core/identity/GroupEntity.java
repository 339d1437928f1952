package io.attune.core.identity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.Immutable;

import java.util.Arrays;
import java.util.List;

/**
 * A row of {@code attune.identity_group} as JPA reads it, with its members' ids ascending. Read-only: groups and
 * their members are written by {@link GroupRepository}'s SQL.
 */
@Entity
@Immutable
@Table(name = "identity_group", schema = "attune")
class GroupEntity {
    @Id
    private long id;
    private String name;
    /** In the group's own row (as the SQL did), not one more query per group. */
    @Formula("(ARRAY(SELECT m.identity_id FROM attune.group_member m WHERE m.group_id = id ORDER BY m.identity_id))")
    private Long[] members;

    protected GroupEntity() {
    }

    GroupRepository.Group toRecord() {
        return new GroupRepository.Group(id, name, members == null ? List.of() : Arrays.asList(members));
    }
}
