package io.attune.cli;

/** A mistake in what the user asked for (a bad {@code --set}, a file that cannot be read): exit 2, nothing sent. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
