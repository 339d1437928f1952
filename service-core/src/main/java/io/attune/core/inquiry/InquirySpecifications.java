package io.attune.core.inquiry;

import io.attune.core.identity.Actor;
import io.attune.model.InquiryStatus;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Root;
import org.springframework.data.jpa.domain.Specification;

import java.util.List;

/**
 * The list's filters as criteria, for {@link InquiryEntities}. Visibility goes through the same SQL functions as
 * every other query ({@link Visibility}): called by name, never restated here.
 */
final class InquirySpecifications {
    private InquirySpecifications() {
    }

    /**
     * Visibility ({@code attune.may_answer_inquiry} for anyone but an admin), then status, execution, and
     * {@code assigned_to} = the identity may answer it (listed, or through a group it is a member of now; unassigned
     * inquiries are not "assigned to" anyone).
     */
    static Specification<InquiryEntity> listed(InquiryQuery query, Actor actor) {
        Specification<InquiryEntity> wanted = besidesAssignee(query, actor);
        if (query.assignedTo() != null) {
            wanted = wanted.and(assigned(query.assignedTo()));
        }
        return wanted;
    }

    /** Every filter of {@link #listed} but {@code assigned_to}. */
    static Specification<InquiryEntity> besidesAssignee(InquiryQuery query, Actor actor) {
        Specification<InquiryEntity> wanted = besidesVisibility(query);
        return actor.isAdmin() ? wanted : mayAnswer(actor.id()).and(wanted);
    }

    /** The query's status and execution filters: {@link #listed} without visibility and {@code assigned_to}. */
    static Specification<InquiryEntity> besidesVisibility(InquiryQuery query) {
        Specification<InquiryEntity> wanted = Specification.unrestricted();
        if (query.status() != null) {
            wanted = wanted.and(status(query.status()));
        }
        if (query.execution() != null) {
            long execution = query.execution();
            wanted = wanted.and((root, q, cb) -> cb.equal(root.get("execution"), execution));
        }
        return wanted;
    }

    static Specification<InquiryEntity> mayAnswer(long identity) {
        return (root, q, cb) -> cb.isTrue(cb.function(Visibility.MAY_ANSWER_FUNCTION, Boolean.class, keys(root),
                cb.literal(identity)));
    }

    /**
     * {@link #mayAnswer} as its disjoint parts, each read newest first from its own index: {@link #unassigned} and
     * {@link #assignedParts}.
     */
    static List<ListPart> mayAnswerParts(long identity) {
        return List.of(new ListPart(unassigned(), false), new ListPart(assignedAlone(identity), false),
                throughGroupOrList(identity));
    }

    /** {@link #assigned} as its disjoint parts, each read newest first from its own index. */
    static List<ListPart> assignedParts(long identity) {
        return List.of(new ListPart(assignedAlone(identity), false), throughGroupOrList(identity));
    }

    /**
     * One of the disjoint parts a list is read as: its filter, and whether its newest ids are found by sorting what its
     * own index finds ({@code sortMatches}) instead of walking the primary key backwards until a page of them is found.
     */
    record ListPart(Specification<InquiryEntity> where, boolean sortMatches) {
    }

    /**
     * The group-or-list part sorts its matches: the planner cannot know how many inquiries a person's groups hold (the
     * principals are a function's result), and walking the primary key backwards for a person in none of the groups
     * that many inquiries name read every inquiry (2.2 s over 1,000,000 with 100,000 assigned to one group). What its
     * partial index finds is what the list's total counts anyway, so sorting it costs no more than that count.
     */
    private static ListPart throughGroupOrList(long identity) {
        return new ListPart(assignedThroughGroupOrList(identity), true);
    }

    /**
     * Assigned to the identity: {@code assignee_keys && attune.principals(id)}, written as its two disjoint halves
     * (see {@link #assignedAlone} and {@link #assignedThroughGroupOrList}) so that each can use its own index.
     */
    static Specification<InquiryEntity> assigned(long identity) {
        return assignedAlone(identity).or(assignedThroughGroupOrList(identity));
    }

    /**
     * Assigned to the identity alone: {@code assigned_to} names one user exactly when the assignment is that user
     * (V11_1), read in id order from the index on (assigned_to, status, id).
     */
    static Specification<InquiryEntity> assignedAlone(long identity) {
        return (root, q, cb) -> cb.equal(root.get("assignedTo"), cb.literal(identity));
    }

    /**
     * Assigned to the identity through a group it is a member of now or a list naming it or its group: the
     * predicate of {@link Visibility#ASSIGNED_THROUGH_GROUP_OR_LIST}, whose partial index holds only such inquiries
     * (the literals keep the predicate provable by the planner; a bound parameter would not be).
     */
    static Specification<InquiryEntity> assignedThroughGroupOrList(long identity) {
        return (root, q, cb) -> cb.and(cb.isNull(root.get("assignedTo")),
                cb.gt(cb.function("cardinality", Integer.class, keys(root)), cb.literal(0)),
                cb.isTrue(cb.function("array_intersects", Boolean.class, keys(root), principals(cb, identity))));
    }

    /**
     * Assigned to nobody (no assignee keys), which everyone may answer: a part of what a person sees beside
     * {@link #assignedParts}; read newest first from its partial index (V18, the same predicate with the literal).
     */
    static Specification<InquiryEntity> unassigned() {
        // assigned_to is null for these too (it names one user exactly when that user is the assignment): said, so
        // that a status filter may read them from the index on (assigned_to, status, id) instead
        return (root, q, cb) -> cb.and(cb.isNull(root.get("assignedTo")),
                cb.equal(cb.function("cardinality", Integer.class, keys(root)), cb.literal(0)));
    }

    static Specification<InquiryEntity> status(InquiryStatus status) {
        return (root, q, cb) -> cb.equal(root.get("status"), status.wire());
    }

    static Specification<InquiryEntity> idIn(List<Long> ids) {
        return (root, q, cb) -> root.get("id").in(ids);
    }

    private static Expression<String[]> keys(Root<InquiryEntity> root) {
        return root.get("assigneeKeys");
    }

    private static Expression<String[]> principals(CriteriaBuilder cb, long identity) {
        return cb.function(Visibility.PRINCIPALS_FUNCTION, String[].class, cb.literal(identity));
    }
}
