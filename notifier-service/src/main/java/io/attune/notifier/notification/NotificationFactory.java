package io.attune.notifier.notification;

import io.attune.model.inquiry.Assignment;
import io.attune.model.message.InquiryCancelled;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.InquiryEscalated;
import io.attune.model.message.InquiryReminder;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.InquiryTimedOut;
import io.attune.model.message.InquiryUpdated;
import io.attune.model.message.MessagePayload;
import io.attune.model.ws.Notification;
import io.attune.model.ws.NotificationContent;

import java.util.Optional;

/**
 * Turns a stored inquiry event into its notification — the same way for the live feed and for replay, so that a
 * client cannot tell the two apart. The response itself is never included (it may hold secrets).
 */
public final class NotificationFactory {
    public static final String ENTITY_TYPE = "inquiry";

    private NotificationFactory() {
    }

    /** The inquiry an event is about, or empty for events that are not inquiry events. */
    public static Optional<Long> inquiryId(MessagePayload payload) {
        if (payload instanceof InquiryCreated p) {
            return Optional.of(p.inquiryId());
        } else if (payload instanceof InquiryResponded p) {
            return Optional.of(p.inquiryId());
        } else if (payload instanceof InquiryTimedOut p) {
            return Optional.of(p.inquiryId());
        } else if (payload instanceof InquiryCancelled p) {
            return Optional.of(p.inquiryId());
        } else if (payload instanceof InquiryEscalated p) {
            return Optional.of(p.inquiryId());
        } else if (payload instanceof InquiryUpdated p) {
            return Optional.of(p.inquiryId());
        } else if (payload instanceof InquiryReminder p) {
            return Optional.of(p.inquiryId());
        }
        return Optional.empty();
    }

    /** Facts an event carries itself (only InquiryCreated does). */
    public static Optional<InquiryFacts> factsIn(MessagePayload payload) {
        return payload instanceof InquiryCreated p
                ? Optional.of(new InquiryFacts(p.executionId(), p.prompt(), p.assignedTo()))
                : Optional.empty();
    }

    public static Optional<Notification> notification(long eventId, MessagePayload payload, InquiryFacts facts) {
        Optional<Activity> activity = Activity.of(payload.messageType());
        Optional<Long> inquiryId = inquiryId(payload);
        if (activity.isEmpty() || inquiryId.isEmpty()) {
            return Optional.empty();
        }
        Assignment shown = payload instanceof InquiryEscalated e ? e.assignedTo() : facts.assignment();
        NotificationContent content = new NotificationContent(facts.prompt(), shown, facts.execution(),
                activity.get().status(),
                payload instanceof InquiryCreated c ? c.timeoutAt()
                        : payload instanceof InquiryTimedOut t ? t.timeoutAt()
                        : payload instanceof InquiryReminder m ? m.timeoutAt() : null,
                payload instanceof InquiryResponded r ? r.respondedBy()
                        : payload instanceof InquiryUpdated u ? u.respondedBy() : null,
                payload instanceof InquiryCancelled x ? x.cancelledBy() : null,
                payload instanceof InquiryEscalated e ? new NotificationContent.Escalation(e.step(),
                        e.previousAssignedTo()) : null,
                payload instanceof InquiryUpdated u ? u.approvals() : null,
                payload instanceof InquiryUpdated u ? u.approvalsRequired() : null,
                payload instanceof InquiryReminder m ? m.reminder() : null);
        return Optional.of(new Notification(eventId, ENTITY_TYPE, Long.toString(inquiryId.get()),
                activity.get().wire(), content));
    }
}
