package io.attune.core.identity;

import java.util.Set;

/**
 * Who is acting: an identity (from a verified token), or the suite itself ({@link #SYSTEM}, for timeouts and
 * other automatic transitions).
 */
public record Actor(Long id, String login, Set<Role> roles) {

    public static final Actor SYSTEM = new Actor(null, "system", Set.of(Role.ADMIN));

    public Actor {
        roles = Set.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.contains(Role.ADMIN);
    }

    public boolean isSystem() {
        return id == null;
    }

    /** CONTRACT §4 visibility: admins see every inquiry, others those assigned to them or to nobody. */
    public boolean canSee(Long assignedTo) {
        return isAdmin() || assignedTo == null || assignedTo.equals(id);
    }
}
