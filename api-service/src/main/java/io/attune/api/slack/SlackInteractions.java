package io.attune.api.slack;

import io.attune.core.channel.Channel;
import io.attune.core.channel.ChannelRepository;
import io.attune.core.error.DomainException;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.core.slack.SlackDecision;
import io.attune.core.slack.SlackIdentities;
import io.attune.core.slack.SlackMessages;
import io.attune.core.slack.SlackSignature;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.model.rest.ErrorCode;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Slack's interaction payloads (a click on Approve or Reject): verified by the signature of a Slack channel's signing
 * secret, the Slack user mapped to an identity by {@code attributes.slack_user_id}, the answer given through
 * {@link InquiryTransitions#respond} (every rule applies), the message updated through its {@code response_url}.
 */
@Service
public class SlackInteractions {
    private final ChannelRepository channels;
    private final SlackIdentities slackIdentities;
    private final InquiryRepository inquiries;
    private final InquiryTransitions transitions;
    private final SlackDecision decisions;
    private final SlackResponder responder;
    private final Clock clock;

    public SlackInteractions(ChannelRepository channels, SlackIdentities slackIdentities, InquiryRepository inquiries,
                             InquiryTransitions transitions, SlackDecision decisions, SlackResponder responder) {
        this.channels = channels;
        this.slackIdentities = slackIdentities;
        this.inquiries = inquiries;
        this.transitions = transitions;
        this.decisions = decisions;
        this.responder = responder;
        this.clock = Clock.systemUTC();
    }

    /** What to answer Slack: an HTTP status and, for a refusal, the text the person should read. */
    public record Reply(int status, String text) {
        static Reply ok() {
            return new Reply(200, null);
        }
    }

    public Reply handle(byte[] body, String timestamp, String signature, UUID correlationId) {
        if (!SlackSignature.fresh(timestamp, clock.instant())) {
            return new Reply(401, "This request is too old (or has no timestamp): Attune accepts Slack requests "
                    + "signed within 5 minutes.");
        }
        boolean verified = channels.ofType("slack").stream().filter(Channel::enabled)
                .anyMatch(c -> SlackSignature.matches(text(c.config(), "signing_secret"), timestamp, body, signature));
        if (!verified) {
            return new Reply(401, "Attune could not verify this request's Slack signature.");
        }
        JsonNode payload;
        try {
            payload = Json.tree(formField(body, "payload"));
        } catch (RuntimeException e) {
            return new Reply(400, "Attune could not read this interaction.");
        }
        if (!"block_actions".equals(payload.path("type").asString(""))) {
            return Reply.ok(); // nothing else is sent to this app's interactivity URL by Attune's messages
        }
        JsonNode action = payload.path("actions").path(0);
        Optional<Boolean> approves = SlackDecision.approves(action.path("action_id").asString(""));
        if (approves.isEmpty()) {
            return Reply.ok(); // "Open in Attune" (a link button) is announced too: nothing to do
        }
        String responseUrl = payload.path("response_url").asString(null);
        String slackUser = payload.path("user").path("id").asString("");
        Optional<Identity> identity = slackIdentities.bySlackUserId(slackUser);
        if (identity.isEmpty() || identity.get().disabled()) {
            String why = identity.isEmpty()
                    ? "Your Slack account (" + slackUser + ") is not linked to an Attune identity. Ask an Attune "
                    + "admin to set slack_user_id on your identity, or answer in Attune."
                    : "Your Attune identity is disabled, so you cannot answer.";
            responder.post(responseUrl, SlackMessages.ephemeral(why));
            return new Reply(403, why);
        }
        long inquiryId;
        try {
            inquiryId = Long.parseLong(action.path("value").asString(""));
        } catch (NumberFormatException e) {
            return new Reply(400, "Attune could not read which inquiry this button answers.");
        }
        try {
            Inquiry inquiry = inquiries.find(inquiryId)
                    .orElseThrow(() -> DomainException.notFound("inquiry " + inquiryId + " not found"));
            String field = decisions.field(inquiry.responseSchema(), inquiry.decisionField()).orElseThrow(() -> DomainException.badRequest(
                    "inquiry " + inquiryId + " cannot be answered with a button; answer it in Attune"));
            Inquiry answered = transitions.respond(inquiryId, identity.get().actor(),
                    SlackDecision.answer(field, approves.get()), correlationId);
            Identity who = identity.get();
            responder.post(responseUrl, SlackMessages.decided(payload.path("message").path("blocks"), approves.get(),
                    who.displayName() + " (" + who.login() + ")",
                    answered.respondedAt() == null ? Instant.now(clock) : answered.respondedAt(),
                    answered.status() == InquiryStatus.PENDING));
            return Reply.ok();
        } catch (DomainException e) {
            // respond hides another's inquiry as 404; the message is in the Slack channel already, so say why
            String why = e.code() == ErrorCode.NOT_FOUND && inquiries.find(inquiryId).isPresent()
                    ? "inquiry " + inquiryId + " is assigned to someone else; only they may answer it"
                    : e.getMessage();
            responder.post(responseUrl, SlackMessages.ephemeral("Not accepted: " + why + "."));
            return Reply.ok(); // the click arrived and was decided; the person reads why in Slack
        }
    }

    private static String text(JsonNode config, String key) {
        JsonNode value = config == null ? null : config.get(key);
        return value != null && value.isString() ? value.asString() : null;
    }

    /** One field of an {@code application/x-www-form-urlencoded} body, decoded; empty when absent. */
    static String formField(byte[] body, String name) {
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }
}
