package io.attune.core.inquiry;

import io.attune.core.persistence.PostgresEnumLabel;
import io.attune.model.InquiryStatus;
import io.attune.model.rest.InquirySummary;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcType;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A row of {@code attune.inquiry} as the list reads it: the columns of an {@link InquirySummary} and the assignee keys
 * its filters test, nothing else. The schema, the response, the timeout policy and a quorum's kept answers are what
 * {@link InquiryEntity} reads for one inquiry; a page of 50 does not read and parse them only to drop them (they were
 * half of a list request's time in the service).
 */
@Entity
@Immutable
@Table(name = "inquiry", schema = "attune")
class ListedInquiry {
    @Id
    private long id;
    private long execution;
    private String prompt;
    private Long assignedTo;
    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode assignment;
    /** Who may answer ({@code u:<id>}, {@code g:<name>}): what the visibility functions read. */
    private String[] assigneeKeys;
    /** The enum's label ({@code attune.inquiry_status_enum}), bound as an enum value, not as varchar. */
    @JdbcType(PostgresEnumLabel.class)
    private String status;
    private Instant timeoutAt;
    private Instant created;
    /** Whether it holds an answer (a JSON null is none), without reading the answer. */
    @Formula("(response IS NOT NULL AND jsonb_typeof(response) <> 'null')")
    private boolean hasResponse;

    protected ListedInquiry() {
    }

    InquirySummary toSummary() {
        return new InquirySummary(id, execution, prompt, InquiryRepository.assignment(assignment),
                InquiryStatus.fromWire(status), hasResponse, timeoutAt, created, null);
    }
}
