package io.attune.notifier.session;

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

    private CloseCodes() {
    }
}
