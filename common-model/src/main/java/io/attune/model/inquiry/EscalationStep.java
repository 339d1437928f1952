package io.attune.model.inquiry;

/**
 * One step of an inquiry's {@code escalation}: still pending {@code after_seconds} after it was created, the inquiry
 * is reassigned to {@code assign_to} (an {@link Assignment}, written as {@code assigned_to} is).
 */
public record EscalationStep(long afterSeconds, Assignment assignTo) {
}
