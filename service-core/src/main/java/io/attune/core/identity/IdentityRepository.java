package io.attune.core.identity;

import io.attune.core.error.DomainException;
import io.attune.core.persistence.ReadOnlyEntities;
import io.attune.model.json.Json;
import jakarta.persistence.EntityManager;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static io.attune.core.JsonColumns.instant;
import static io.attune.core.JsonColumns.json;

@Repository
public class IdentityRepository {
    /** The identity's columns and the sorted names of its groups; {@code i} is the identity's alias. */
    private static final String COLUMNS = "i.id, i.login, i.display_name, i.password_hash, i.roles, i.disabled, "
            + "i.attributes::text AS attributes, i.created, i.updated, " + GroupRepository.GROUPS_OF_IDENTITY + " AS groups";
    private static final RowMapper<Identity> ROW = (rs, n) -> new Identity(rs.getLong("id"), rs.getString("login"),
            rs.getString("display_name"), rs.getString("password_hash"), roles(rs.getArray("roles")),
            strings(rs, "groups"), rs.getBoolean("disabled"), json(rs, "attributes"), instant(rs, "created"),
            instant(rs, "updated"));

    private final JdbcClient jdbc;
    private final IdentityEntities entities;
    private final ReadOnlyEntities read;

    public IdentityRepository(JdbcClient jdbc, IdentityEntities entities, EntityManager entityManager) {
        this.jdbc = jdbc;
        this.entities = entities;
        this.read = new ReadOnlyEntities(entityManager);
    }

    public Optional<Identity> findById(long id) {
        return read.one(entities.findById(id), IdentityEntity::toRecord);
    }

    public Optional<Identity> findByLogin(String login) {
        return read.one(entities.findByLogin(login), IdentityEntity::toRecord);
    }

    public boolean exists(long id) {
        return entities.existsById(id);
    }

    /** Which of the given ids name no identity (ascending). */
    // SQL: one statement over the whole list (unnest), where JPA would need the list back and a difference in Java
    public List<Long> missing(Collection<Long> ids) {
        return jdbc.sql("SELECT DISTINCT t.id FROM unnest(?::bigint[]) AS t(id) "
                        + "WHERE NOT EXISTS (SELECT 1 FROM attune.identity i WHERE i.id = t.id) ORDER BY t.id")
                .param(ids.toArray(Long[]::new)).query(Long.class).list();
    }

    /** Page {@code page} (from 1) of identities by id. */
    public List<Identity> page(int page, int perPage) {
        return read.all(entities.findAllBy(PageRequest.of(page - 1, perPage, Sort.by("id"))),
                IdentityEntity::toRecord);
    }

    public long count() {
        return entities.count();
    }

    /** Locks the identity's row until the transaction ends (changes to one identity queue up). */
    // SQL: FOR UPDATE OF i, the lock the transaction holds while it decides (JPA's PESSIMISTIC_WRITE would lock the
    // same row, but the read and the lock stay one visible statement)
    public Optional<Identity> lock(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.identity i WHERE i.id = ? FOR UPDATE OF i").param(id)
                .query(ROW).optional();
    }

    /** How many enabled admins there are besides {@code except}. */
    // SQL: decides whether the last admin may be disabled or demoted ('admin' = ANY(roles), an array test)
    public long otherEnabledAdmins(long except) {
        return jdbc.sql("SELECT count(*) FROM attune.identity WHERE id <> ? AND NOT disabled AND 'admin' = ANY(roles)")
                .param(except).query(Long.class).single();
    }

    /** Creates an identity; a login that is taken is a 409. */
    // SQL: the unique login decides, in one INSERT (the entity is read-only)
    public Identity create(String login, String displayName, String passwordHash, Set<Role> roles) {
        try {
            long id = jdbc.sql("INSERT INTO attune.identity (login, display_name, password_hash, roles) "
                            + "VALUES (?, ?, ?, ?::text[]) RETURNING id")
                    .params(login, displayName, passwordHash, roleArray(roles))
                    .query(Long.class).single();
            return findById(id).orElseThrow();
        } catch (DuplicateKeyException e) {
            throw DomainException.conflict("login '" + login + "' is already taken");
        }
    }

    /** Writes the given identity's display name, roles, disabled flag, password hash and attributes. */
    // SQL: one UPDATE under the row lock taken by lock(), as the callers decided it
    public void update(Identity changed) {
        jdbc.sql("UPDATE attune.identity SET display_name = ?, roles = ?::text[], disabled = ?, password_hash = ?, "
                        + "attributes = ?::jsonb WHERE id = ?")
                .params(changed.displayName(), roleArray(changed.roles()), changed.disabled(), changed.passwordHash(),
                        Json.write(changed.attributes()), changed.id())
                .update();
    }

    private static String roleArray(Set<Role> roles) {
        return roles.stream().map(Role::wire).sorted().collect(Collectors.joining(",", "{", "}"));
    }

    static Set<Role> roles(Array roles) throws SQLException {
        Set<Role> parsed = EnumSet.noneOf(Role.class);
        Arrays.stream((String[]) roles.getArray()).map(Role::fromWire).forEach(parsed::add);
        return parsed;
    }

    static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
