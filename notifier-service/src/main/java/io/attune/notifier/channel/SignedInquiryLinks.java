package io.attune.notifier.channel;

import io.attune.core.link.SignedLinks;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** The channels' links are the suite's signed links ({@link SignedLinks}, {@code ATTUNE_PUBLIC_URL}). */
@Component
public class SignedInquiryLinks implements InquiryLinks {
    private final SignedLinks links;

    public SignedInquiryLinks(SignedLinks links) {
        this.links = links;
    }

    @Override
    public String view(long inquiryId) {
        return links.viewLink(inquiryId);
    }

    @Override
    public Optional<String> respond(long inquiryId, long identityId) {
        return Optional.of(links.respondLink(inquiryId, identityId));
    }
}
