package io.attune.notifier.channel;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** Links from {@code ATTUNE_PUBLIC_URL}: the web UI's page of an inquiry. */
@Component
public class PublicUrlLinks implements InquiryLinks {
    private final String publicUrl;

    public PublicUrlLinks(@Value("${attune.public-url:${ATTUNE_PUBLIC_URL:http://localhost:8080}}") String publicUrl) {
        String url = publicUrl.trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        this.publicUrl = url;
    }

    @Override
    public String view(long inquiryId) {
        return publicUrl + "/#/inquiries/" + inquiryId;
    }

    @Override
    public Optional<String> respond(long inquiryId, long identityId) {
        return Optional.empty();
    }
}
