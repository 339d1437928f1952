package io.attune.core.identity;

import io.attune.model.rest.IdentityView;
import io.attune.model.rest.UserView;

import java.time.Instant;
import java.util.List;
import java.util.Set;

public record Identity(long id, String login, String displayName, String passwordHash, Set<Role> roles,
                       Instant created, Instant updated) {

    public Actor actor() {
        return new Actor(id, login, roles);
    }

    public List<String> roleNames() {
        return roles.stream().sorted().map(Role::wire).toList();
    }

    public UserView toUserView() {
        return new UserView(id, login, displayName, roleNames());
    }

    public IdentityView toView() {
        return new IdentityView(id, login, displayName, roleNames(), created, updated);
    }
}
