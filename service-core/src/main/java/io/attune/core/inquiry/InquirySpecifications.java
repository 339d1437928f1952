package io.attune.core.inquiry;

import io.attune.core.identity.Actor;
import io.attune.model.InquiryStatus;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Root;
import org.springframework.data.jpa.domain.Specification;

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
     * inquiries are not "assigned to" anyone: {@code assignee_keys && attune.principals(id)}).
     */
    static Specification<InquiryEntity> listed(InquiryQuery query, Actor actor) {
        Specification<InquiryEntity> wanted = Specification.unrestricted();
        if (!actor.isAdmin()) {
            wanted = wanted.and(mayAnswer(actor.id()));
        }
        if (query.status() != null) {
            wanted = wanted.and(status(query.status()));
        }
        if (query.execution() != null) {
            long execution = query.execution();
            wanted = wanted.and((root, q, cb) -> cb.equal(root.get("execution"), execution));
        }
        if (query.assignedTo() != null) {
            wanted = wanted.and(assigned(query.assignedTo()));
        }
        return wanted;
    }

    static Specification<InquiryEntity> mayAnswer(long identity) {
        return (root, q, cb) -> cb.isTrue(cb.function("attune.may_answer_inquiry", Boolean.class, keys(root),
                cb.literal(identity)));
    }

    static Specification<InquiryEntity> assigned(long identity) {
        return (root, q, cb) -> cb.isTrue(cb.function("array_intersects", Boolean.class, keys(root),
                principals(cb, identity)));
    }

    static Specification<InquiryEntity> status(InquiryStatus status) {
        return (root, q, cb) -> cb.equal(root.get("status"), status.wire());
    }

    private static Expression<String[]> keys(Root<InquiryEntity> root) {
        return root.get("assigneeKeys");
    }

    private static Expression<String[]> principals(CriteriaBuilder cb, long identity) {
        return cb.function("attune.principals", String[].class, cb.literal(identity));
    }
}
