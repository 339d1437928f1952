package io.attune.core.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.attune.core.audit.AuditSubject;
import io.attune.core.audit.AuditTrail;
import io.attune.core.error.DomainException;
import io.attune.core.identity.Actor;
import io.attune.core.identity.SessionGuard;
import io.attune.core.identity.SessionGuard.TokenKey;
import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.ApiTokenView;
import io.attune.model.rest.CreatedApiToken;
import io.attune.model.rest.ErrorCode;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static io.attune.core.JsonColumns.instant;
import static io.attune.core.JsonColumns.nullableLong;

/**
 * Long-lived bearer tokens for machines (a CI pipeline, another system): an admin makes one for an identity, it is
 * shown once, and only its SHA-256 digest is kept. A token is {@code attune_} followed by 43 base64url characters
 * (256 random bits), so it is never mistaken for a JWT (those start with {@code eyJ}).
 *
 * <p>Whether a token still speaks for someone is decided by the {@link SessionGuard}, like any token: {@link #resolve}
 * turns it into a {@link TokenKey} ({@code api-token:<id>}, the identity), and the guard checks the identity (enabled)
 * and the token (not revoked, not expired) with the same 2-second cache — so a revocation holds everywhere within
 * the same 5 seconds as a logout, open sockets included. An API token acts with the role {@code user} only.
 */
@Service
public class ApiTokens {
    /** What every API token starts with. */
    public static final String TOKEN_PREFIX = "attune_";
    /** The {@code jti} part of an API token's {@link TokenKey}. */
    public static final String KEY_PREFIX = SessionGuard.API_TOKEN_KEY_PREFIX;
    static final int MAX_NAME_CHARS = 100;
    /** How often one process writes a token's last use (a busy pipeline must not write on every call). */
    private static final Duration USE_RECORDED_EVERY = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "t.id, t.name, t.identity_id, i.login, t.prefix, t.created_by, t.created, "
            + "t.expires_at, t.last_used_at, t.revoked_at";
    private static final RowMapper<ApiTokenView> ROW = (rs, n) -> new ApiTokenView(rs.getLong("id"),
            rs.getString("name"), rs.getLong("identity_id"), rs.getString("login"), rs.getString("prefix"),
            nullableLong(rs, "created_by"), instant(rs, "created"), instant(rs, "expires_at"),
            instant(rs, "last_used_at"), instant(rs, "revoked_at"));

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final SessionGuard sessions;
    /** digest → key: a token's identity never changes, so this only spares the lookup (revocation is the guard's). */
    private final Cache<String, Optional<TokenKey>> keys = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();
    private final Cache<Long, Instant> useRecorded = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(USE_RECORDED_EVERY).build();

    private final TransactionTemplate transactions;

    public ApiTokens(JdbcClient jdbc, AuditTrail audit, SessionGuard sessions, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.sessions = sessions;
    }

    /** Whether a bearer token is an API token (rather than a JWT). */
    public static boolean isApiToken(String bearer) {
        return bearer != null && bearer.startsWith(TOKEN_PREFIX);
    }

    /**
     * The key the guard checks for this API token; empty when no such token was ever made (a revoked or expired one
     * still resolves: the guard refuses it). Unknown tokens are remembered briefly, so guessing costs no query each.
     */
    public Optional<TokenKey> resolve(String token) {
        if (!isApiToken(token) || token.length() > 200) {
            return Optional.empty();
        }
        return keys.get(sha256(token), digest -> jdbc.sql(
                        "SELECT id, identity_id FROM attune.api_token WHERE token_sha256 = ?").param(digest)
                .query((rs, n) -> new TokenKey(KEY_PREFIX + rs.getLong("id"), rs.getLong("identity_id")))
                .optional());
    }

    /** The token's id in a key made by {@link #resolve}; empty for a JWT's key. */
    public static Optional<Long> idOf(TokenKey key) {
        return key.jti().startsWith(KEY_PREFIX) ? Optional.of(Long.parseLong(key.jti().substring(KEY_PREFIX.length())))
                : Optional.empty();
    }

    /** Notes that the token was accepted: written at most once a minute per token and process. */
    public void recordUse(TokenKey key) {
        idOf(key).ifPresent(id -> {
            if (useRecorded.asMap().putIfAbsent(id, Instant.now()) == null) {
                jdbc.sql("UPDATE attune.api_token SET last_used_at = now() WHERE id = ?").param(id).update();
            }
        });
    }

    /**
     * A new token for an existing, enabled identity; 400 for a bad name or expiry (each listed), 422 for an unknown
     * or disabled identity. Recorded in the audit chain as {@code api_token} {@code created} (never the token).
     */
    @Transactional
    public CreatedApiToken create(String name, Long identityId, Instant expiresAt, Actor actor) {
        List<ErrorDetail> problems = new ArrayList<>();
        String trimmed = name == null ? null : name.strip();
        if (trimmed == null || trimmed.isEmpty()) {
            problems.add(new ErrorDetail("/name", "name is required: say what the token is for"));
        } else if (trimmed.length() > MAX_NAME_CHARS) {
            problems.add(new ErrorDetail("/name", "name must be at most " + MAX_NAME_CHARS + " characters"));
        } else if (trimmed.chars().anyMatch(Character::isISOControl)) {
            problems.add(new ErrorDetail("/name", "name must not hold control characters"));
        }
        if (identityId == null) {
            problems.add(new ErrorDetail("/identity_id", "identity_id is required: the identity the token acts as"));
        }
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            problems.add(new ErrorDetail("/expires_at", "expires_at must be in the future"));
        }
        if (!problems.isEmpty()) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "the token request is invalid", problems);
        }
        Boolean disabled = jdbc.sql("SELECT disabled FROM attune.identity WHERE id = ?").param(identityId)
                .query(Boolean.class).optional().orElse(null);
        if (disabled == null || disabled) {
            throw DomainException.validation("identity " + identityId + (disabled == null ? " does not exist"
                    : " is disabled"), List.of(new ErrorDetail("/identity_id", disabled == null
                    ? "no such identity" : "the identity is disabled")));
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        long id = jdbc.sql("INSERT INTO attune.api_token (name, identity_id, token_sha256, prefix, created_by, "
                        + "expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
                .params(trimmed, identityId, sha256(token), token.substring(0, TOKEN_PREFIX.length() + 4), actor.id(),
                        expiresAt == null ? null : Timestamp.from(expiresAt))
                .query(Long.class).single();
        ApiTokenView view = find(id).orElseThrow();
        ObjectNode details = Json.object();
        details.put("name", view.name());
        details.put("identity_id", view.identityId());
        details.put("prefix", view.prefix());
        details.put("expires_at", expiresAt == null ? null : expiresAt.toString());
        audit.record(new AuditSubject(AuditSubject.API_TOKEN, Long.toString(id)), "created", actor, details);
        return CreatedApiToken.of(view, token);
    }

    /** Every token, newest first (revoked ones too, with {@code revoked_at}). */
    public List<ApiTokenView> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.api_token t JOIN attune.identity i ON i.id = t.identity_id "
                + "ORDER BY t.id DESC").query(ROW).list();
    }

    public Optional<ApiTokenView> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.api_token t JOIN attune.identity i ON i.id = t.identity_id "
                + "WHERE t.id = ?").param(id).query(ROW).optional();
    }

    /**
     * Revokes a token: refused on this replica at once, everywhere within 5 s (open sockets closed with 4001). 404
     * for an unknown token; revoking a revoked one changes nothing (idempotent, no second audit entry).
     */
    public ApiTokenView revoke(long id, Actor actor) {
        ApiTokenView revoked = transactions.execute(tx -> revokeInTransaction(id, actor));
        // after the commit: a check made meanwhile must not cache the token as still valid
        sessions.invalidate(new TokenKey(KEY_PREFIX + id, revoked.identityId()));
        return revoked;
    }

    private ApiTokenView revokeInTransaction(long id, Actor actor) {
        ApiTokenView current = find(id).orElseThrow(() -> DomainException.notFound("API token " + id + " not found"));
        int changed = jdbc.sql("UPDATE attune.api_token SET revoked_at = now(), revoked_by = ? "
                + "WHERE id = ? AND revoked_at IS NULL").params(actor.id(), id).update();
        if (changed == 1) {
            ObjectNode details = Json.object();
            details.put("name", current.name());
            details.put("identity_id", current.identityId());
            details.put("prefix", current.prefix());
            audit.record(new AuditSubject(AuditSubject.API_TOKEN, Long.toString(id)), "revoked", actor, details);
        }
        return find(id).orElseThrow();
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
