package io.attune.notifier.notification;

import io.attune.model.InquiryStatus;
import io.attune.model.message.MessageType;

import java.util.Arrays;
import java.util.Optional;

/** The notification activities of docs/protocol.md §5, the inquiry events they come from and the status they leave. */
public enum Activity {
    CREATED("created", MessageType.INQUIRY_CREATED, InquiryStatus.PENDING),
    RESPONDED("responded", MessageType.INQUIRY_RESPONDED, InquiryStatus.RESPONDED),
    TIMEOUT("timeout", MessageType.INQUIRY_TIMED_OUT, InquiryStatus.TIMEOUT),
    CANCELLED("cancelled", MessageType.INQUIRY_CANCELLED, InquiryStatus.CANCELLED),
    ESCALATED("escalated", MessageType.INQUIRY_ESCALATED, InquiryStatus.PENDING),
    /** An answer counted toward a quorum; the inquiry stays pending (docs/policies.md#quorum). */
    UPDATED("updated", MessageType.INQUIRY_UPDATED, InquiryStatus.PENDING),
    /** A pending inquiry's periodic reminder (docs/policies.md#reminders). */
    REMINDER("reminder", MessageType.INQUIRY_REMINDER, InquiryStatus.PENDING);

    private final String wire;
    private final MessageType messageType;
    private final InquiryStatus status;

    Activity(String wire, MessageType messageType, InquiryStatus status) {
        this.wire = wire;
        this.messageType = messageType;
        this.status = status;
    }

    public String wire() {
        return wire;
    }

    public MessageType messageType() {
        return messageType;
    }

    public InquiryStatus status() {
        return status;
    }

    public static Optional<Activity> of(MessageType type) {
        return Arrays.stream(values()).filter(a -> a.messageType == type).findFirst();
    }

    public static Optional<Activity> fromWire(String wire) {
        return Arrays.stream(values()).filter(a -> a.wire.equals(wire)).findFirst();
    }
}
