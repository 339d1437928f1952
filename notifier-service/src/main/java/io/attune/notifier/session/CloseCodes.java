package io.attune.notifier.session;

import java.nio.charset.StandardCharsets;

/** The application close codes of {@code /ws} (docs/notifier.md); 4000-4999 are reserved for applications. */
public final class CloseCodes {
    /**
     * The token the socket was opened with has expired or is no longer valid (logged out, identity disabled or
     * removed): log in again and reconnect.
     */
    public static final int TOKEN_EXPIRED = 4001;
    /** The identity's roles or groups changed, and with them what it may see: reconnect (with since). */
    public static final int PERMISSIONS_CHANGED = 4003;
    /** The client fell too far behind; the reason says {@code reconnect with since=<id>}. */
    public static final int TOO_SLOW = 4008;
    /**
     * Too many: subscribes faster than allowed, client messages piling up, or more open sockets for one identity
     * than allowed. The reason says which; reconnect after a pause (with since), or close another socket first.
     */
    public static final int TOO_MANY = 4029;
    /** A close frame's reason may hold at most 123 bytes of UTF-8. */
    private static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {
    }

    /** {@code reason}, cut to what fits in a close frame. */
    public static String reason(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = reason.length();
        while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            end--;
        }
        return reason.substring(0, end);
    }
}
