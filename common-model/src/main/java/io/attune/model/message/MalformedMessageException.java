package io.attune.model.message;

/** A message body that is not a well-formed envelope of a known type; retrying it can never help. */
public class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String reason) {
        super(reason);
    }
}
