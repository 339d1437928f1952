package io.attune.core.inquiry;

import io.attune.core.identity.Actor;
import io.attune.model.InquiryStatus;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import org.hibernate.query.criteria.JpaSubQuery;
import org.springframework.data.jpa.domain.Specification;

import java.util.ArrayList;
import java.util.List;

/**
 * The list's filters as criteria, for {@link ListedInquiries}. Visibility goes through the same SQL functions as
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
    static Specification<ListedInquiry> listed(InquiryQuery query, Actor actor) {
        Specification<ListedInquiry> wanted = besidesAssignee(query, actor);
        if (query.assignedTo() != null) {
            wanted = wanted.and(assigned(query.assignedTo()));
        }
        return wanted;
    }

    /** Every filter of {@link #listed} but {@code assigned_to}. */
    static Specification<ListedInquiry> besidesAssignee(InquiryQuery query, Actor actor) {
        Specification<ListedInquiry> wanted = besidesVisibility(query);
        return actor.isAdmin() ? wanted : mayAnswer(actor.id()).and(wanted);
    }

    /** The query's status and execution filters: {@link #listed} without visibility and {@code assigned_to}. */
    static Specification<ListedInquiry> besidesVisibility(InquiryQuery query) {
        Specification<ListedInquiry> wanted = Specification.unrestricted();
        if (query.status() != null) {
            wanted = wanted.and(status(query.status()));
        }
        if (query.execution() != null) {
            long execution = query.execution();
            wanted = wanted.and((root, q, cb) -> cb.equal(root.get("execution"), execution));
        }
        return wanted;
    }

    static Specification<ListedInquiry> mayAnswer(long identity) {
        return (root, q, cb) -> cb.isTrue(cb.function(Visibility.MAY_ANSWER_FUNCTION, Boolean.class, keys(root),
                cb.literal(identity)));
    }

    /**
     * {@link #mayAnswer} as its disjoint parts, each read newest first from its own index: {@link #unassigned} and
     * {@link #assignedParts}.
     */
    static List<ListPart> mayAnswerParts(long identity, InquiryStatus status) {
        List<ListPart> parts = new ArrayList<>();
        parts.add(new ListPart(unassigned(), ListOrder.ID));
        parts.addAll(assignedParts(identity, status));
        return parts;
    }

    /**
     * {@link #assigned} as its disjoint parts, each read newest first from its own index. The part assigned to the
     * identity alone is read from the index on (assigned_to, status, id), which gives id order within one status: so
     * without a status filter it is one part per status.
     */
    static List<ListPart> assignedParts(long identity, InquiryStatus status) {
        List<ListPart> parts = new ArrayList<>();
        if (status != null) {
            parts.add(new ListPart(assignedAloneAsIndexed(identity), ListOrder.ASSIGNEE_THEN_ID));
        } else {
            for (InquiryStatus each : InquiryStatus.values()) {
                parts.add(new ListPart(assignedAloneAsIndexed(identity).and(status(each)), ListOrder.ASSIGNEE_THEN_ID));
            }
        }
        parts.add(throughGroupOrList(identity));
        return parts;
    }

    /** One of the disjoint parts a list is read as: its filter, and how its newest ids are found. */
    record ListPart(Specification<ListedInquiry> where, ListOrder order) {
    }

    /** How a part's newest ids are read. */
    enum ListOrder {
        /** {@code ORDER BY id DESC}: from the primary key or an index ending in id, as the planner likes. */
        ID,
        /**
         * {@code ORDER BY id + 0 DESC}: no index gives that order, so what the part's own index finds is sorted; for
         * parts whose size the planner cannot estimate, where walking the primary key could read every inquiry.
         */
        SORTED_ID,
        /**
         * {@code ORDER BY assigned_to DESC, id DESC} for a part filtered by {@link #assignedAloneAsIndexed} and one
         * status: only the index on (assigned_to, status, id) gives that order, so it is read there.
         */
        ASSIGNEE_THEN_ID
    }

    /**
     * The group-or-list part sorts its matches: the planner cannot know how many inquiries a person's groups hold (the
     * principals are a function's result), and walking the primary key backwards for a person in none of the groups
     * that many inquiries name read every inquiry (2.2 s over 1,000,000 with 100,000 assigned to one group). What its
     * partial index finds is what the list's total counts anyway, so sorting it costs no more than that count.
     */
    private static ListPart throughGroupOrList(long identity) {
        return new ListPart(assignedThroughGroupOrList(identity), ListOrder.SORTED_ID);
    }

    /**
     * Assigned to the identity: {@code assignee_keys && attune.principals(id)}, written as its two disjoint halves
     * (see {@link #assignedAlone} and {@link #assignedThroughGroupOrList}) so that each can use its own index.
     */
    static Specification<ListedInquiry> assigned(long identity) {
        return assignedAlone(identity).or(assignedThroughGroupOrList(identity));
    }

    /**
     * Assigned to the identity alone: {@code assigned_to} names one user exactly when the assignment is that user
     * (V11_1), read in id order from the index on (assigned_to, status, id).
     */
    static Specification<ListedInquiry> assignedAlone(long identity) {
        return (root, q, cb) -> cb.equal(root.get("assignedTo"), cb.literal(identity));
    }

    /**
     * Assigned to the identity through a group it is a member of now or a list naming it or its group: the
     * predicate of {@link Visibility#ASSIGNED_THROUGH_GROUP_OR_LIST}, whose partial index holds only such inquiries
     * (the literals keep the predicate provable by the planner; a bound parameter would not be).
     */
    static Specification<ListedInquiry> assignedThroughGroupOrList(long identity) {
        return (root, q, cb) -> cb.and(cb.isNull(root.get("assignedTo")),
                cb.gt(cb.function("cardinality", Integer.class, keys(root)), cb.literal(0)),
                cb.isTrue(cb.function("array_intersects", Boolean.class, keys(root), principals(cb, identity))));
    }

    /**
     * {@link #assignedAlone} written as {@code assigned_to BETWEEN id AND id}, for {@link ListOrder#ASSIGNEE_THEN_ID}.
     * With {@code assigned_to = id} the planner takes assigned_to for a constant, so {@code ORDER BY id DESC} is all that
     * is left to give, which the primary key gives too; it then walks the primary key backwards, expecting the person's
     * share of every stretch of inquiries, and when the newest 100,000 are someone else's it reads them all (25-55 ms
     * over 1,000,000). A range is not a constant: the order stays (assigned_to, id), which only the person's index
     * gives, and a page reads a page.
     */
    static Specification<ListedInquiry> assignedAloneAsIndexed(long identity) {
        return (root, q, cb) -> cb.between(root.get("assignedTo"), cb.literal(identity), cb.literal(identity));
    }

    /**
     * Assigned to nobody (no assignee keys), which everyone may answer: a part of what a person sees beside
     * {@link #assignedParts}; read newest first from its partial index (V18, the same predicate with the literal).
     */
    static Specification<ListedInquiry> unassigned() {
        // assigned_to is null for these too (it names one user exactly when that user is the assignment): said, so
        // that a status filter may read them from the index on (assigned_to, status, id) instead
        return (root, q, cb) -> cb.and(cb.isNull(root.get("assignedTo")),
                cb.equal(cb.function("cardinality", Integer.class, keys(root)), cb.literal(0)));
    }

    static Specification<ListedInquiry> status(InquiryStatus status) {
        return (root, q, cb) -> cb.equal(root.get("status"), status.wire());
    }

    static Specification<ListedInquiry> idIn(List<Long> ids) {
        return (root, q, cb) -> root.get("id").in(ids);
    }

    /**
     * Among the newest {@code limit} of {@code wanted} after {@code offset}: their ids in a subquery, which Postgres
     * plans on its own, reading only ids from the index that gives id order (the rows around it are read by id).
     */
    static Specification<ListedInquiry> amongNewest(Specification<ListedInquiry> wanted, long offset, int limit) {
        return (root, q, cb) -> {
            JpaSubQuery<Long> ids = (JpaSubQuery<Long>) q.subquery(Long.class);
            Root<ListedInquiry> inner = ids.from(ListedInquiry.class);
            Predicate where = wanted.toPredicate(inner, q, cb);
            if (where != null) {
                ids.where(where);
            }
            ids.select(inner.get("id")).orderBy(cb.desc(inner.get("id"))).offset(offset).fetch(limit);
            return root.get("id").in(ids);
        };
    }

    private static Expression<String[]> keys(Root<ListedInquiry> root) {
        return root.get("assigneeKeys");
    }

    private static Expression<String[]> principals(CriteriaBuilder cb, long identity) {
        return cb.function(Visibility.PRINCIPALS_FUNCTION, String[].class, cb.literal(identity));
    }
}
