package io.attune.core.execution;

import io.attune.model.ExecutionStatus;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcType;
import org.hibernate.annotations.JdbcTypeCode;
import io.attune.core.persistence.PostgresEnumLabel;
import org.hibernate.type.SqlTypes;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A row of {@code attune.execution} as JPA reads it; {@link #toRecord()} is what the rest of the code uses.
 * Read-only: every change of an execution is a conditional SQL update in {@link ExecutionRepository}.
 */
@Entity
@Immutable
@Table(name = "execution", schema = "attune")
class ExecutionEntity {
    @Id
    private long id;
    private String actionRef;
    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode parameters;
    /** The enum's label ({@code attune.execution_status_enum}), bound as an enum value, not as varchar. */
    @JdbcType(PostgresEnumLabel.class)
    private String status;
    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode result;
    private Long requestedBy;
    private Instant created;
    private Instant updated;
    private Long parent;

    protected ExecutionEntity() {
    }

    Execution toRecord() {
        return new Execution(id, actionRef, parameters, ExecutionStatus.fromWire(status), result, requestedBy, created,
                updated, parent);
    }
}
