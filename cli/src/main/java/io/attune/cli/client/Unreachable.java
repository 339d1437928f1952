package io.attune.cli.client;

/** The server did not answer at all: exit 3. */
public class Unreachable extends RuntimeException {
    public Unreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
