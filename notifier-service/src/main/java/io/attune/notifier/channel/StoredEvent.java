package io.attune.notifier.channel;

import io.attune.model.rest.InquiryView;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * An inquiry event of the stored trail, as the fan-out reads it.
 *
 * @param id         the event's public id
 * @param type       its routing key, e.g. {@code inquiry.created}: the webhook body's {@code type}
 * @param activity   the routing key after {@code inquiry.}: what channel filters name
 * @param timestamp  when it was stored (the envelope's timestamp)
 * @param payload    the envelope's payload
 * @param inquiry    the inquiry as the API shows it now (secrets masked)
 */
public record StoredEvent(long id, String type, String activity, Instant timestamp, JsonNode payload,
                          InquiryView inquiry) {
}
