package io.attune.core.slack;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Slack's request signature, version 0: {@code X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw
 * body>">} with the app's signing secret, {@code X-Slack-Request-Timestamp} in Unix seconds. A request more than
 * five minutes away from now (either way) is refused, so a captured request cannot be replayed later.
 */
public final class SlackSignature {
    public static final Duration MAX_AGE = Duration.ofMinutes(5);

    private SlackSignature() {
    }

    /** {@code v0=<hex>} for this body and timestamp (what Slack sends; tests sign with it too). */
    public static String sign(String signingSecret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the timestamp is a number within {@link #MAX_AGE} of {@code now}. */
    public static boolean fresh(String timestamp, Instant now) {
        if (timestamp == null || !timestamp.matches("[0-9]{1,12}")) {
            return false;
        }
        long seconds = Long.parseLong(timestamp);
        return Math.abs(now.getEpochSecond() - seconds) <= MAX_AGE.toSeconds();
    }

    /** Whether {@code signature} is this secret's signature of the body (compared in constant time). */
    public static boolean matches(String signingSecret, String timestamp, byte[] body, String signature) {
        if (signingSecret == null || signingSecret.isEmpty() || signature == null || timestamp == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(signingSecret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
