package io.attune.core.identity;

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

    /** Visibility: admins see every inquiry, others those assigned to them or to nobody. */
    public boolean canSee(Long assignedTo) {
        return isAdmin() || assignedTo == null || assignedTo.equals(id);
    }
}
