package io.attune.core.identity;

import io.attune.core.error.DomainException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

@Repository
public class IdentityRepository {
    private static final String COLUMNS = "id, login, display_name, password_hash, roles, created, updated";
    private static final RowMapper<Identity> ROW = (rs, n) -> {
        Array roles = rs.getArray("roles");
        Set<Role> parsed = EnumSet.noneOf(Role.class);
        Arrays.stream((String[]) roles.getArray()).map(Role::fromWire).forEach(parsed::add);
        return new Identity(rs.getLong("id"), rs.getString("login"), rs.getString("display_name"),
                rs.getString("password_hash"), parsed,
                rs.getObject("created", OffsetDateTime.class).toInstant(),
                rs.getObject("updated", OffsetDateTime.class).toInstant());
    };

    private final JdbcClient jdbc;

    public IdentityRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Identity> findById(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.identity WHERE id = ?").param(id).query(ROW).optional();
    }

    public Optional<Identity> findByLogin(String login) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.identity WHERE login = ?").param(login).query(ROW)
                .optional();
    }

    public boolean exists(long id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM attune.identity WHERE id = ?)").param(id)
                .query(Boolean.class).single();
    }

    /** Creates an identity; a login that is taken is a 409. */
    public Identity create(String login, String displayName, String passwordHash, Set<Role> roles) {
        String roleArray = roles.stream().map(Role::wire).sorted().collect(Collectors.joining(",", "{", "}"));
        try {
            return jdbc.sql("INSERT INTO attune.identity (login, display_name, password_hash, roles) "
                            + "VALUES (?, ?, ?, ?::text[]) RETURNING " + COLUMNS)
                    .params(login, displayName, passwordHash, roleArray)
                    .query(ROW).single();
        } catch (DuplicateKeyException e) {
            throw DomainException.conflict("login '" + login + "' is already taken");
        }
    }
}
