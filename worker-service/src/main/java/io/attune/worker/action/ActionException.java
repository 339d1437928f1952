package io.attune.worker.action;

/** An action that cannot be run (unknown, broken metadata, missing interpreter); the message says why. */
public class ActionException extends RuntimeException {
    public ActionException(String message) {
        super(message);
    }
}
