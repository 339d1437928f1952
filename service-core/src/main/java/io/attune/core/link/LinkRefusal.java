package io.attune.core.link;

import io.attune.core.error.DomainException;
import io.attune.model.rest.ErrorCode;

import java.util.List;

/** Why a signed link cannot be used (its status is the contract's code; the reason titles the page that says so). */
public class LinkRefusal extends DomainException {
    public enum Reason {
        UNKNOWN(ErrorCode.NOT_FOUND, "Link not found"),
        USED(ErrorCode.CONFLICT, "This link has already been used"),
        CLOSED(ErrorCode.CONFLICT, "This inquiry is closed"),
        DISABLED(ErrorCode.FORBIDDEN, "This link no longer works"),
        NOT_ALLOWED(ErrorCode.FORBIDDEN, "This link cannot answer this inquiry");

        private final ErrorCode code;
        private final String title;

        Reason(ErrorCode code, String title) {
            this.code = code;
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    private final Reason reason;

    public LinkRefusal(Reason reason, String message) {
        super(reason.code, message, List.of());
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
