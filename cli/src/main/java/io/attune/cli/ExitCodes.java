package io.attune.cli;

/** What {@code attune} exits with; scripts rely on these (docs/cli.md). */
public final class ExitCodes {
    /** Done: the command did what it was asked. */
    public static final int DONE = 0;
    /** The server refused (an error answer: 401, 403, 404, 409, 422, 503…), or there is no token to send. */
    public static final int REFUSED = 1;
    /** The command line or an answer typed for a schema cannot be used; nothing was sent. */
    public static final int USAGE = 2;
    /** The server could not be reached (connection refused, timed out, DNS). */
    public static final int UNREACHABLE = 3;
    /** {@code run --wait}: the execution ended, but not {@code completed} (failed, timeout, cancelled). */
    public static final int NOT_COMPLETED = 4;
    /** {@code ask --wait}: the answer said no (its decision field, default {@code /approved}, is false). */
    public static final int REJECTED = 5;
    /** {@code ask --wait}: nobody answered before the inquiry's timeout. */
    public static final int TIMED_OUT = 6;
    /** {@code ask --wait}: the inquiry was cancelled (by an admin, or its execution by the requester). */
    public static final int CANCELLED = 7;

    private ExitCodes() {
    }
}
