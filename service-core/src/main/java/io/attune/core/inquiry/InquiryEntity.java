package io.attune.core.inquiry;

import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcType;
import org.hibernate.annotations.JdbcTypeCode;
import io.attune.core.persistence.PostgresEnumLabel;
import org.hibernate.type.SqlTypes;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A row of {@code attune.inquiry} as JPA reads it, with the kept answers of a quorum; {@link #toRecord()} is the
 * {@link Inquiry} the rest of the code uses. Read-only: every change of an inquiry is SQL in
 * {@link InquiryRepository}, decided by {@link InquiryTransitions}.
 */
@Entity
@Immutable
@Table(name = "inquiry", schema = "attune")
class InquiryEntity {
    /**
     * The kept answers of a quorum as a jsonb array, oldest first (one inquiry's handful), up to the inquiry's id
     * column, which the formula below and the repository's SQL each append. {@code cast}, not {@code ::}, for
     * Hibernate's formula parser.
     */
    static final String KEPT_ANSWERS_OF = "(SELECT coalesce(jsonb_agg(jsonb_build_object('response', r.response, "
            + "'responded_by', r.responded_by, 'responded_at', r.responded_at) ORDER BY r.id), cast('[]' AS jsonb)) "
            + "FROM attune.inquiry_response r WHERE r.inquiry = ";

    @Id
    private long id;
    private long execution;
    private String prompt;
    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode responseSchema;
    private Long assignedTo;
    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode assignment;
    /** The enum's label ({@code attune.inquiry_status_enum}), bound as an enum value, not as varchar. */
    @JdbcType(PostgresEnumLabel.class)
    private String status;
    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode response;
    private Long respondedBy;
    private Instant timeoutAt;
    private Instant respondedAt;
    private Instant created;
    private Instant updated;
    private int approvalsRequired;
    private String decisionField;
    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode onTimeout;
    private Integer remindEverySeconds;
    private boolean defaulted;
    /** The kept answers of a quorum, oldest first, in the row itself (as the SQL reads them); null for the rest. */
    @Formula("(CASE WHEN approvals_required > 1 THEN cast(" + KEPT_ANSWERS_OF + "id) AS text) END)")
    private String quorumAnswers;

    protected InquiryEntity() {
    }

    Inquiry toRecord() {
        return new Inquiry(id, execution, prompt, responseSchema, assignedTo, InquiryRepository.assignment(assignment),
                InquiryStatus.fromWire(status), response, respondedBy, timeoutAt, respondedAt, created, updated,
                approvalsRequired, decisionField, onTimeout, remindEverySeconds, defaulted,
                InquiryRepository.answers(quorumAnswers == null ? null : Json.tree(quorumAnswers)));
    }
}
