package io.attune.model.message;

import com.fasterxml.jackson.annotation.JsonValue;

/** The message types of docs/protocol.md §2 with their routing keys and payload records. */
public enum MessageType {
    EXECUTION_REQUESTED("ExecutionRequested", "execution.requested", ExecutionRequested.class),
    EXECUTION_COMPLETED("ExecutionCompleted", "execution.completed", ExecutionCompleted.class),
    EXECUTION_STATUS_CHANGED("ExecutionStatusChanged", "execution.status.changed", ExecutionStatusChanged.class),
    INQUIRY_CREATED("InquiryCreated", "inquiry.created", InquiryCreated.class),
    INQUIRY_RESPONDED("InquiryResponded", "inquiry.responded", InquiryResponded.class),
    INQUIRY_TIMED_OUT("InquiryTimedOut", "inquiry.timeout", InquiryTimedOut.class),
    INQUIRY_CANCELLED("InquiryCancelled", "inquiry.cancelled", InquiryCancelled.class),
    INQUIRY_ESCALATED("InquiryEscalated", "inquiry.escalated", InquiryEscalated.class),
    INQUIRY_UPDATED("InquiryUpdated", "inquiry.updated", InquiryUpdated.class),
    INQUIRY_REMINDER("InquiryReminder", "inquiry.reminder", InquiryReminder.class);

    /** The durable topic exchange every message goes through. */
    public static final String EXCHANGE = "attune.executions";

    private final String wireName;
    private final String routingKey;
    private final Class<? extends MessagePayload> payloadType;

    MessageType(String wireName, String routingKey, Class<? extends MessagePayload> payloadType) {
        this.wireName = wireName;
        this.routingKey = routingKey;
        this.payloadType = payloadType;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public String routingKey() {
        return routingKey;
    }

    public Class<? extends MessagePayload> payloadType() {
        return payloadType;
    }

    public static MessageType fromWireName(String name) {
        for (MessageType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown message_type '" + name + "'");
    }
}
