package io.attune.core.inquiry;

/**
 * The visibility rule's one definition, as SQL for every query that filters inquiries (lists, the inbox's "assigned
 * to me", the notifier's live filters and replay, workflows): the functions of migration V11_1. An admin sees every
 * inquiry; anyone else an unassigned one or one that lists them or a group they are a member of now. Java decides
 * with {@link io.attune.core.identity.Actor#canSee}, tested to agree (VisibilityAgreementTest).
 * Each fragment reads the inquiry's columns (unqualified, or qualified by the alias given) and takes one parameter,
 * the identity's id. The criteria of the list ({@link InquirySpecifications}) call the same functions by these names.
 */
public final class Visibility {
    /** {@code (keys, identity)}: the identity may answer, and so see, an inquiry with these assignee keys. */
    static final String MAY_ANSWER_FUNCTION = "attune.may_answer_inquiry";
    /** {@code (identity)}: the identity's assignee keys, itself and the groups it is a member of now. */
    static final String PRINCIPALS_FUNCTION = "attune.principals";

    /** The identity (parameter) may answer, and so see, the inquiry: unassigned, or it is listed. */
    public static final String MAY_ANSWER = mayAnswer("");
    /**
     * The inquiry is assigned to the identity (parameter) through a group or a list: the inquiries that
     * {@code assigned_to} (one user) does not name. Served by a partial index (V17) with this very predicate.
     */
    public static final String ASSIGNED_THROUGH_GROUP_OR_LIST = "assigned_to IS NULL AND cardinality(assignee_keys) > 0 "
            + "AND " + listsIdentity("");

    /** The identity's (parameter) assignee keys, one text array. */
    public static final String PRINCIPALS_OF = "SELECT " + PRINCIPALS_FUNCTION + "(?)";

    private Visibility() {
    }

    public static String mayAnswer(String alias) {
        return MAY_ANSWER_FUNCTION + "(" + alias + "assignee_keys, ?)";
    }

    /**
     * The inquiry lists the identity (parameter) itself or a group it is a member of: "assigned to" that identity, as
     * the API's {@code assigned_to} filter and the notifier's {@code user_id} filter mean it (an unassigned inquiry
     * is assigned to nobody).
     */
    public static String listsIdentity(String alias) {
        return alias + "assignee_keys && " + PRINCIPALS_FUNCTION + "(?)";
    }
}
