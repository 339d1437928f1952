package io.attune.core.inquiry;

/**
 * The visibility rule's one definition, as SQL for every query that filters inquiries (lists, the inbox's "assigned
 * to me", the notifier's live filters and replay, workflows): the functions of migration V11_1. An admin sees every
 * inquiry; anyone else an unassigned one or one that lists them or a group they are a member of now. Java decides
 * with {@link io.attune.core.identity.Actor#canSee}, tested to agree (VisibilityAgreementTest).
 * Each fragment reads the inquiry's {@code assignee_keys} (unqualified, or qualified by the alias given) and takes
 * one parameter, the identity's id.
 */
public final class Visibility {
    /** The identity (parameter) may answer, and so see, the inquiry: unassigned, or it is listed. */
    public static final String MAY_ANSWER = mayAnswer("");
    /** The inquiry is assigned to the identity (parameter): listed itself or through a group; not unassigned. */
    public static final String ASSIGNED = assigned("");

    private Visibility() {
    }

    public static String mayAnswer(String alias) {
        return "attune.may_answer_inquiry(" + alias + "assignee_keys, ?)";
    }

    public static String assigned(String alias) {
        return alias + "assignee_keys && attune.principals(?)";
    }
}
