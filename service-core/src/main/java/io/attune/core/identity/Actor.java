package io.attune.core.identity;

import io.attune.model.inquiry.Assignment;

import java.util.Set;

/**
 * Who is acting: an identity (from a verified token, with its roles and groups as the database has them now), or the
 * suite itself ({@link #SYSTEM}, for timeouts and other automatic transitions).
 */
public record Actor(Long id, String login, Set<Role> roles, Set<String> groups) {

    public static final Actor SYSTEM = new Actor(null, "system", Set.of(Role.ADMIN));

    public Actor {
        roles = Set.copyOf(roles);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    public Actor(Long id, String login, Set<Role> roles) {
        this(id, login, roles, Set.of());
    }

    public boolean isAdmin() {
        return roles.contains(Role.ADMIN);
    }

    public boolean isSystem() {
        return id == null;
    }

    public boolean isMemberOf(String group) {
        return groups.contains(group);
    }

    /** Who this actor is as assignee keys: {@code u:<id>} and {@code g:<group>} for each of its groups. */
    public Set<String> principals() {
        Set<String> keys = new java.util.HashSet<>();
        if (id != null) {
            keys.add("u:" + id);
        }
        groups.forEach(g -> keys.add("g:" + g));
        return keys;
    }

    /**
     * Whether this actor may answer an inquiry with these assignee keys: it is unassigned, or lists the actor or a
     * group the actor is a member of. The Java twin of SQL {@code attune.may_answer_inquiry} (V11_1), which every
     * query uses; VisibilityAgreementTest proves the two agree.
     */
    public boolean mayAnswer(Assignment assignment) {
        return assignment == null || assignment.keys().isEmpty()
                || assignment.keys().stream().anyMatch(principals()::contains);
    }

    /** Visibility (SQL {@code attune.inquiry_visible}): admins see every inquiry, others those they may answer. */
    public boolean canSee(Assignment assignment) {
        return isAdmin() || mayAnswer(assignment);
    }
}
