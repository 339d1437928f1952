package io.attune.core.link;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.attune.core.JsonColumns.instant;

/**
 * Links for people outside the web UI (channels: webhooks, e-mail, Slack). A respond link,
 * {@code <public URL>/a/<token>}, lets one identity answer one inquiry once without signing in: the token is 256
 * random bits, only its SHA-256 is stored, it works only while the inquiry is pending and is consumed in the
 * transaction of the answer it gives (api-service's {@code /a/{token}}). A view link is the web UI's page of the
 * inquiry, which needs a sign-in. The public URL is {@code ATTUNE_PUBLIC_URL}: where browsers reach api-service.
 */
@Service
public class SignedLinks {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final RowMapper<Link> ROW = (rs, n) -> new Link(rs.getLong("id"), rs.getLong("inquiry"),
            rs.getLong("identity_id"), instant(rs, "created"), instant(rs, "used_at"));
    private final SecureRandom random = new SecureRandom();
    private final JdbcClient jdbc;
    private final String publicUrl;

    public SignedLinks(JdbcClient jdbc, @Value("${attune.public-url:http://localhost:8080}") String publicUrl) {
        this.jdbc = jdbc;
        this.publicUrl = normalise(publicUrl);
    }

    /**
     * Mints a new respond link answering {@code inquiryId} as {@code identityId}: {@code <public URL>/a/<token>}.
     * Each call makes a distinct link (a row in {@code attune.signed_link}); every one of them stops working once the
     * inquiry is no longer pending or one of them has answered for that identity. Joins the caller's transaction.
     */
    public String respondLink(long inquiryId, long identityId) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        jdbc.sql("INSERT INTO attune.signed_link (token_hash, inquiry, identity_id) VALUES (?, ?, ?)")
                .params(hash(token), inquiryId, identityId).update();
        return publicUrl + "/a/" + token;
    }

    /** The web UI's page of the inquiry, {@code <public URL>/#/inquiries/<id>} (the reader signs in first). */
    public String viewLink(long inquiryId) {
        return publicUrl + "/#/inquiries/" + inquiryId;
    }

    /** {@code ATTUNE_PUBLIC_URL} without a trailing slash, e.g. {@code https://attune.example.com}. */
    public String publicUrl() {
        return publicUrl;
    }

    /** The link a token names, used or not; empty for anything that is not a token this suite minted. */
    public Optional<Link> find(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT id, inquiry, identity_id, created, used_at FROM attune.signed_link WHERE token_hash = ?")
                .param(hash(token)).query(ROW).optional();
    }

    /**
     * Marks the link used, unless it already was: false then. Call it in the transaction of the answer, so that a
     * refused or rolled-back answer leaves the link usable and of two concurrent uses exactly one gets true.
     */
    public boolean consume(long linkId) {
        return jdbc.sql("UPDATE attune.signed_link SET used_at = clock_timestamp() WHERE id = ? AND used_at IS NULL")
                .param(linkId).update() == 1;
    }

    /** A stored link: which inquiry it answers, as whom, and when it was used (null while unused). */
    public record Link(long id, long inquiry, long identity, Instant created, Instant usedAt) {
        public boolean used() {
            return usedAt != null;
        }
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String normalise(String url) {
        String trimmed = url == null ? "" : url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ATTUNE_PUBLIC_URL is not a URL: " + url);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("ATTUNE_PUBLIC_URL must be an http(s) URL without query or fragment, "
                    + "e.g. https://attune.example.com; got " + url);
        }
        return trimmed;
    }
}
