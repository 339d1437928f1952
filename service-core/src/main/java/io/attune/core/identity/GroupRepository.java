package io.attune.core.identity;

import io.attune.core.error.DomainException;
import io.attune.core.persistence.ReadOnlyEntities;
import io.attune.model.rest.GroupView;
import jakarta.persistence.EntityManager;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
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
    private final GroupEntities entities;
    private final ReadOnlyEntities read;

    public GroupRepository(JdbcClient jdbc, GroupEntities entities, EntityManager entityManager) {
        this.jdbc = jdbc;
        this.entities = entities;
        this.read = new ReadOnlyEntities(entityManager);
    }

    public Optional<Group> find(String name) {
        return read.one(entities.findByName(name), GroupEntity::toRecord);
    }

    /** Locks the group's row until the transaction ends. */
    // SQL: FOR UPDATE OF g, the lock changes to one group queue up on
    public Optional<Group> lock(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.identity_group g WHERE g.name = ? FOR UPDATE OF g")
                .param(name).query(ROW).optional();
    }

    public List<Group> page(int page, int perPage) {
        return read.all(entities.findAllBy(PageRequest.of(page - 1, perPage, Sort.by("name"))),
                GroupEntity::toRecord);
    }

    public long count() {
        return entities.count();
    }

    /** Which of the given names are no group (sorted). */
    // SQL: one statement over the whole list (unnest), where JPA would need the list back and a difference in Java
    public List<String> missing(Collection<String> names) {
        return jdbc.sql("SELECT DISTINCT t.name FROM unnest(?::text[]) AS t(name) "
                        + "WHERE NOT EXISTS (SELECT 1 FROM attune.identity_group g WHERE g.name = t.name) ORDER BY 1")
                .param(names.toArray(String[]::new)).query(String.class).list();
    }

    /** A new group; a name that is taken is a 409. */
    // SQL: the unique name decides, in one INSERT (the entity is read-only)
    public long create(String name) {
        try {
            return jdbc.sql("INSERT INTO attune.identity_group (name) VALUES (?) RETURNING id").param(name)
                    .query(Long.class).single();
        } catch (DuplicateKeyException e) {
            throw DomainException.conflict("group '" + name + "' already exists");
        }
    }

    // SQL: the rename and the rewrite of every inquiry naming the group (arrays and jsonb) in the same transaction
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

    // SQL: the memberships go with the group by ON DELETE CASCADE, in the database (the entity is read-only)
    public void delete(long id) {
        jdbc.sql("DELETE FROM attune.identity_group WHERE id = ?").param(id).update();
    }

    /** Makes exactly these identities the group's members. */
    // SQL: set-wise membership changes (unnest, ON CONFLICT DO NOTHING), two statements whatever the list's size
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
    // SQL: an EXISTS over the membership table, which has no entity
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
