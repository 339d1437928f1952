package io.attune.notifier.channel;

import java.util.Optional;

/** The links a channel message carries: the web UI's page of an inquiry, and a signed link answering it as one identity. */
public interface InquiryLinks {

    String view(long inquiryId);

    /** A new respond link for {@code identityId}, or empty when none can be made. */
    Optional<String> respond(long inquiryId, long identityId);
}
