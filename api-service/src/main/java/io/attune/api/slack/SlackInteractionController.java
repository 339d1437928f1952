package io.attune.api.slack;

import io.attune.core.error.DomainException;
import io.attune.model.json.Json;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

import static io.attune.api.inquiry.InquiryController.CORRELATION_HEADER;

/**
 * Slack's interactivity request URL. No bearer token: the request is verified by its Slack signature. The body is
 * read as raw bytes (the signature covers them exactly) before anything parses it as a form.
 */
@RestController
@Tag(name = "slack")
public class SlackInteractionController {
    /** Slack's block_actions payloads carry the whole message; far below the api's 1 MiB body limit. */
    static final int MAX_BODY_BYTES = 256 * 1024;
    private final SlackInteractions interactions;

    public SlackInteractionController(SlackInteractions interactions) {
        this.interactions = interactions;
    }

    @PostMapping(value = "/integrations/slack/interactions", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Slack interaction payloads (Approve / Reject), verified by X-Slack-Signature (v0)")
    public ResponseEntity<Object> interaction(HttpServletRequest request,
                                              @RequestHeader(name = "X-Slack-Request-Timestamp", required = false)
                                              String timestamp,
                                              @RequestHeader(name = "X-Slack-Signature", required = false)
                                              String signature,
                                              @RequestHeader(name = CORRELATION_HEADER, required = false)
                                              UUID correlationId) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw DomainException.payloadTooLarge("a Slack interaction is at most " + MAX_BODY_BYTES + " bytes");
        }
        SlackInteractions.Reply reply = interactions.handle(body, timestamp, signature, correlationId);
        if (reply.text() == null) {
            return ResponseEntity.status(reply.status()).build();
        }
        ObjectNode text = Json.object();
        text.put("response_type", "ephemeral");
        text.put("replace_original", false);
        text.put("text", reply.text());
        return ResponseEntity.status(reply.status()).contentType(MediaType.APPLICATION_JSON).body(text);
    }
}
