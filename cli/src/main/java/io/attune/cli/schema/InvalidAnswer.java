package io.attune.cli.schema;

/** What was typed cannot be an answer to the question (not a number, not yes or no…); the message says why. */
public class InvalidAnswer extends Exception {
    public InvalidAnswer(String message) {
        super(message);
    }
}
