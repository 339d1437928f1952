package io.attune.notifier.channel;

import io.attune.core.external.ExternalRequests;
import io.attune.model.json.Json;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The decision of an approval request from outside reaches its caller (docs/external-requests.md): when the inquiry
 * of a request that gave a {@code callback} is responded, timed out or cancelled, one delivery to that URL, signed,
 * retried and logged exactly like a webhook channel's. The body is {@code {"type", "timestamp", "data":
 * {"inquiry"}}} with the inquiry as the API shows it (secrets masked).
 */
@Component
class DecisionCallbacks implements DeliveryTargetSource {
    private static final Set<String> DECISIONS = Set.of("inquiry.responded", "inquiry.timeout", "inquiry.cancelled");

    private final ExternalRequests requests;

    DecisionCallbacks(ExternalRequests requests) {
        this.requests = requests;
    }

    @Override
    public Set<Long> mayPlanFor(Collection<InquiryEvent> events) {
        return requests.withCallback(events.stream().filter(event -> DECISIONS.contains(event.type()))
                .map(InquiryEvent::inquiryId).collect(Collectors.toSet()));
    }

    @Override
    public List<PlannedDelivery> plan(StoredEvent event) {
        if (!DECISIONS.contains(event.type())) {
            return List.of();
        }
        return requests.callbackOf(event.inquiry().id()).map(callback -> {
            ObjectNode target = Json.object();
            target.put("url", callback.url());
            target.put("secret", callback.secret());
            ObjectNode message = Json.object();
            message.put("type", event.type());
            message.put("timestamp", event.timestamp().toString());
            message.putObject("data").set("inquiry", Json.convert(event.inquiry(), JsonNode.class));
            return List.of(new PlannedDelivery(null, callback.targetKey(), target, null, null, message, null));
        }).orElse(List.of());
    }
}
