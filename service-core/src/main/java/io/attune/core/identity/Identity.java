package io.attune.core.identity;

import io.attune.model.rest.IdentityView;
import io.attune.model.rest.MeView;
import io.attune.model.rest.UserView;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** An identity as stored, with the names of its groups (sorted). */
public record Identity(long id, String login, String displayName, String passwordHash, Set<Role> roles,
                       List<String> groups, boolean disabled, JsonNode attributes, Instant created, Instant updated) {

    public Identity {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    public Actor actor() {
        return new Actor(id, login, roles, Set.copyOf(groups));
    }

    public List<String> roleNames() {
        return roles.stream().sorted().map(Role::wire).toList();
    }

    public UserView toUserView() {
        return new UserView(id, login, displayName, roleNames());
    }

    public MeView toMeView() {
        return new MeView(id, login, displayName, roleNames(), groups);
    }

    /** What admins read: everything but the password hash. */
    public IdentityView toView() {
        return new IdentityView(id, login, displayName, roleNames(), groups, disabled, attributes, created, updated);
    }
}
