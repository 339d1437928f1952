package io.attune.core.execution;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

/** The reads of executions (Spring Data); every change and the row lock are SQL in {@link ExecutionRepository}. */
interface ExecutionEntities extends JpaRepository<ExecutionEntity, Long> {

    /** The task runs of a workflow execution, oldest first. */
    List<ExecutionEntity> findByParentOrderById(Long parent);
}
