package io.attune.core.identity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A row of {@code attune.identity} as JPA reads it, with the sorted names of its groups; {@link #toRecord()} is
 * what the rest of the code uses. Read-only: identities are written by {@link IdentityRepository}'s SQL.
 */
@Entity
@Immutable
@Table(name = "identity", schema = "attune")
class IdentityEntity {
    @Id
    private long id;
    private String login;
    private String displayName;
    private String passwordHash;
    private String[] roles;
    private boolean disabled;
    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode attributes;
    private Instant created;
    private Instant updated;
    /** In the identity's own row (as the SQL did), not one more query per identity. */
    @Formula("(ARRAY(SELECT g.name FROM attune.group_member m JOIN attune.identity_group g ON g.id = m.group_id "
            + "WHERE m.identity_id = id ORDER BY g.name))")
    private String[] groups;

    protected IdentityEntity() {
    }

    Identity toRecord() {
        Set<Role> parsed = EnumSet.noneOf(Role.class);
        Arrays.stream(roles).map(Role::fromWire).forEach(parsed::add);
        return new Identity(id, login, displayName, passwordHash, parsed,
                groups == null ? List.of() : List.of(groups), disabled, attributes, created, updated);
    }
}
