package io.attune.core.slack;

import io.attune.core.identity.Identity;
import io.attune.core.identity.IdentityRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.Optional;

/** Who a Slack user is in Attune: the identity whose {@code attributes.slack_user_id} is their Slack user id. */
@Repository
public class SlackIdentities {
    private final JdbcClient jdbc;
    private final IdentityRepository identities;

    public SlackIdentities(JdbcClient jdbc, IdentityRepository identities) {
        this.jdbc = jdbc;
        this.identities = identities;
    }

    /** The identity, or empty when no identity, or more than one (an ambiguity an admin must fix), has that id. */
    public Optional<Identity> bySlackUserId(String slackUserId) {
        if (slackUserId == null || slackUserId.isBlank()) {
            return Optional.empty();
        }
        List<Long> ids = jdbc.sql("SELECT id FROM attune.identity WHERE attributes ->> 'slack_user_id' = ? LIMIT 2")
                .param(slackUserId).query(Long.class).list();
        return ids.size() == 1 ? identities.findById(ids.get(0)) : Optional.empty();
    }
}
