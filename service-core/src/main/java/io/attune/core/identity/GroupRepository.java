package io.attune.core.identity;

import io.attune.core.error.DomainException;
import io.attune.model.rest.GroupView;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Groups of identities ({@code identity_group}) and their members ({@code group_member}). */
@Repository
public class GroupRepository {
    /** The sorted names of the groups of identity {@code i}, as a text[] expression. */
    static final String GROUPS_OF_IDENTITY = "ARRAY(SELECT g.name FROM attune.group_member m "
            + "JOIN attune.identity_group g ON g.id = m.group_id WHERE m.identity_id = i.id ORDER BY g.name)";
    private static final String COLUMNS = "g.id, g.name, ARRAY(SELECT m.identity_id FROM attune.group_member m "
            + "WHERE m.group_id = g.id ORDER BY m.identity_id) AS members";
    private static final RowMapper<Group> ROW = (rs, n) -> {
        Array members = rs.getArray("members");
        return new Group(rs.getLong("id"), rs.getString("name"), Arrays.asList((Long[]) members.getArray()));
    };

    private final JdbcClient jdbc;

    public GroupRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Group> find(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.identity_group g WHERE g.name = ?").param(name).query(ROW)
                .optional();
    }

    /** Locks the group's row until the transaction ends. */
    public Optional<Group> lock(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.identity_group g WHERE g.name = ? FOR UPDATE OF g")
                .param(name).query(ROW).optional();
    }

    public List<Group> page(int limit, long offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.identity_group g ORDER BY g.name LIMIT ? OFFSET ?")
                .params(limit, offset).query(ROW).list();
    }

    public long count() {
        return jdbc.sql("SELECT count(*) FROM attune.identity_group").query(Long.class).single();
    }

    /** Which of the given names are no group (sorted). */
    public List<String> missing(Collection<String> names) {
        return jdbc.sql("SELECT DISTINCT t.name FROM unnest(?::text[]) AS t(name) "
                        + "WHERE NOT EXISTS (SELECT 1 FROM attune.identity_group g WHERE g.name = t.name) ORDER BY 1")
                .param(names.toArray(String[]::new)).query(String.class).list();
    }

    /** A new group; a name that is taken is a 409. */
    public long create(String name) {
        try {
            return jdbc.sql("INSERT INTO attune.identity_group (name) VALUES (?) RETURNING id").param(name)
                    .query(Long.class).single();
        } catch (DuplicateKeyException e) {
            throw DomainException.conflict("group '" + name + "' already exists");
        }
    }

    public void rename(long id, String name) {
        String old = jdbc.sql("SELECT name FROM attune.identity_group WHERE id = ?").param(id).query(String.class)
                .optional().orElse(null);
        try {
            jdbc.sql("UPDATE attune.identity_group SET name = ? WHERE id = ?").params(name, id).update();
        } catch (DuplicateKeyException e) {
            throw DomainException.conflict("group '" + name + "' already exists");
        }
        if (old != null && !old.equals(name)) {
            // inquiries name their groups: the renamed group keeps its assignments (names are [A-Za-z0-9._-], so a
            // textual replacement of the exact quoted forms is safe)
            jdbc.sql("UPDATE attune.inquiry SET assignee_keys = array_replace(assignee_keys, ?::text, ?::text), "
                            + "assignment = replace(assignment::text, ?::text, ?::text)::jsonb, "
                            + "escalation = replace(replace(escalation::text, ?::text, ?::text), ?::text, ?::text)::jsonb "
                            + "WHERE assignee_keys && ARRAY[?::text] OR escalation::text LIKE ?::text")
                    .params("g:" + old, "g:" + name, groupJson(old), groupJson(name), groupJson(old), groupJson(name),
                            "\"g:" + old + "\"", "\"g:" + name + "\"", "g:" + old, "%\"g:" + old + "\"%")
                    .update();
        }
    }

    private static String groupJson(String name) {
        return "{\"group\": \"" + name + "\"}";
    }

    public void delete(long id) {
        jdbc.sql("DELETE FROM attune.identity_group WHERE id = ?").param(id).update();
    }

    /** Makes exactly these identities the group's members. */
    public void replaceMembers(long groupId, Collection<Long> identityIds) {
        Long[] ids = identityIds.toArray(Long[]::new);
        jdbc.sql("DELETE FROM attune.group_member WHERE group_id = ? AND identity_id <> ALL(?::bigint[])")
                .params(groupId, ids).update();
        jdbc.sql("INSERT INTO attune.group_member (group_id, identity_id) SELECT ?, t.id FROM unnest(?::bigint[]) "
                        + "AS t(id) ON CONFLICT DO NOTHING")
                .params(groupId, ids).update();
        touch(groupId);
    }

    /** Makes exactly these groups (by name, all existing) the identity's groups. */
    public void replaceGroupsOf(long identityId, Collection<String> names) {
        String[] wanted = names.toArray(String[]::new);
        jdbc.sql("DELETE FROM attune.group_member m USING attune.identity_group g WHERE m.group_id = g.id "
                        + "AND m.identity_id = ? AND g.name <> ALL(?::text[])")
                .params(identityId, wanted).update();
        jdbc.sql("INSERT INTO attune.group_member (group_id, identity_id) SELECT g.id, ? FROM attune.identity_group g "
                        + "WHERE g.name = ANY(?::text[]) ON CONFLICT DO NOTHING")
                .params(identityId, wanted).update();
    }

    /** Whether the identity is a member of the named group (what assigning to a group will ask). */
    public boolean isMember(long identityId, String group) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM attune.group_member m JOIN attune.identity_group g "
                        + "ON g.id = m.group_id WHERE g.name = ? AND m.identity_id = ?)")
                .params(group, identityId).query(Boolean.class).single();
    }

    private void touch(long groupId) {
        jdbc.sql("UPDATE attune.identity_group SET updated = now() WHERE id = ?").param(groupId).update();
    }

    public record Group(long id, String name, List<Long> members) {
        public GroupView toView() {
            return new GroupView(name, members);
        }
    }
}
