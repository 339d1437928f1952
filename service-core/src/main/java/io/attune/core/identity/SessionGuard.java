package io.attune.core.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a verified token still speaks for someone, and for whom: its identity must exist and not be disabled, and
 * its {@code jti} must not be revoked (logged out). Roles and groups come from the database, never from the token.
 *
 * <p>API tokens for machines ({@code io.attune.core.token.ApiTokens}) are checked here too, by the key
 * {@code ApiTokens.resolve} gives them: the token must also be neither revoked nor expired, and it acts with the
 * role {@code user} only.
 *
 * <p>Every service that checks tokens (api-service on every request, notifier-service at the upgrade and for open
 * sockets) asks here. Answers are cached per token for {@code attune.sessions.recheck} (default 2 s), so a change
 * made by an admin or a logout through any replica is seen everywhere within that time plus the notifier's sweep,
 * while a busy client costs one indexed query per token every two seconds.
 */
@Component
public class SessionGuard {
    /** The {@code jti} of an API token's key: {@code api-token:<id>} (io.attune.core.token.ApiTokens). */
    public static final String API_TOKEN_KEY_PREFIX = "api-token:";
    private final JdbcClient jdbc;
    private final Cache<TokenKey, Verdict> verdicts;

    public SessionGuard(JdbcClient jdbc, @Value("${attune.sessions.recheck:2s}") Duration recheck) {
        this.jdbc = jdbc;
        this.verdicts = Caffeine.newBuilder().expireAfterWrite(recheck).maximumSize(100_000).build();
    }

    /** The actor the token speaks for now, or empty when it no longer speaks for anyone. */
    public Optional<Actor> check(Jwt jwt) {
        TokenKey key = TokenKey.of(jwt);
        return checkAll(List.of(key)).get(key);
    }

    /** {@link #check} for a token already reduced to its key (an API token's, from {@code ApiTokens.resolve}). */
    public Optional<Actor> check(TokenKey key) {
        return checkAll(List.of(key)).get(key);
    }

    /** Forgets the cached answer for one token (revoked here: refused on this replica at once). */
    public void invalidate(TokenKey key) {
        verdicts.invalidate(key);
    }

    /** {@link #check} for many tokens at once (one query for those not cached). */
    public Map<TokenKey, Optional<Actor>> checkAll(Collection<TokenKey> keys) {
        Map<TokenKey, Verdict> found = verdicts.getAll(keys, this::load);
        Map<TokenKey, Optional<Actor>> answers = new HashMap<>();
        found.forEach((key, verdict) -> answers.put(key, Optional.ofNullable(verdict.actor())));
        return answers;
    }

    /** Revokes the token until it expires; every service refuses it within the recheck time, this one at once. */
    public void revoke(Jwt jwt) {
        TokenKey key = TokenKey.of(jwt);
        Instant expires = jwt.getExpiresAt() == null ? Instant.now().plus(Duration.ofDays(1)) : jwt.getExpiresAt();
        jdbc.sql("INSERT INTO attune.revoked_token (jti, identity_id, expires_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT (jti) DO NOTHING")
                .params(key.jti(), key.identityId(), java.sql.Timestamp.from(expires)).update();
        verdicts.invalidate(key);
    }

    /** Forgets what this process knows about the identity's tokens (after a change made here). */
    public void forget(long identityId) {
        verdicts.asMap().keySet().removeIf(key -> key.identityId() == identityId);
    }

    /** Drops revocations of tokens that have expired anyway (a minute later, for clock skew); how many. */
    public int pruneExpiredRevocations() {
        return jdbc.sql("DELETE FROM attune.revoked_token WHERE expires_at < now() - interval '2 minutes'").update();
    }

    private Map<TokenKey, Verdict> load(Set<? extends TokenKey> keys) {
        List<TokenKey> list = new ArrayList<>(keys);
        String[] jtis = list.stream().map(TokenKey::jti).toArray(String[]::new);
        Long[] ids = list.stream().map(TokenKey::identityId).toArray(Long[]::new);
        Map<TokenKey, Verdict> loaded = new HashMap<>();
        list.forEach(key -> loaded.put(key, Verdict.REFUSED)); // unknown identities stay refused
        // An API token's key is "api-token:<id>": it speaks for its identity while the token is neither revoked nor
        // expired (ApiTokens), and only with the role user, whatever the identity's roles.
        jdbc.sql("SELECT t.jti, i.id, i.login, i.roles, " + GroupRepository.GROUPS_OF_IDENTITY + " AS groups, "
                        + "t.jti LIKE '" + API_TOKEN_KEY_PREFIX + "%' AS api_token "
                        + "FROM unnest(?::text[], ?::bigint[]) AS t(jti, identity_id) "
                        + "JOIN attune.identity i ON i.id = t.identity_id "
                        + "WHERE NOT i.disabled "
                        + "AND NOT EXISTS (SELECT 1 FROM attune.revoked_token r WHERE r.jti = t.jti) "
                        + "AND (t.jti NOT LIKE '" + API_TOKEN_KEY_PREFIX + "%' OR EXISTS (SELECT 1 FROM attune.api_token a "
                        + "WHERE a.id = CASE WHEN t.jti ~ '^" + API_TOKEN_KEY_PREFIX + "[0-9]{1,18}$' "
                        + "THEN substr(t.jti, " + (API_TOKEN_KEY_PREFIX.length() + 1) + ")::bigint END "
                        + "AND a.identity_id = i.id AND a.revoked_at IS NULL "
                        + "AND (a.expires_at IS NULL OR a.expires_at > now())))")
                .params(jtis, ids)
                .query((rs, n) -> {
                    long id = rs.getLong("id");
                    Set<Role> roles = rs.getBoolean("api_token") ? Set.of(Role.USER)
                            : IdentityRepository.roles(rs.getArray("roles"));
                    Actor actor = new Actor(id, rs.getString("login"), roles,
                            Set.copyOf(IdentityRepository.strings(rs, "groups")));
                    loaded.put(new TokenKey(rs.getString("jti"), id), new Verdict(actor));
                    return null;
                })
                .list();
        return loaded;
    }

    /** What identifies a token here: its {@code jti} and the identity ({@code sub}) it was issued to. */
    public record TokenKey(String jti, long identityId) {
        /** The key of a verified token; IllegalArgumentException when it has no usable {@code jti} or {@code sub}. */
        public static TokenKey of(Jwt jwt) {
            String jti = jwt.getId();
            if (jti == null || jti.isBlank() || jwt.getSubject() == null) {
                throw new IllegalArgumentException("the token has no jti or sub");
            }
            try {
                return new TokenKey(jti, Long.parseLong(jwt.getSubject()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the token's sub is not an identity id");
            }
        }
    }

    private record Verdict(Actor actor) {
        static final Verdict REFUSED = new Verdict(null);
    }
}
