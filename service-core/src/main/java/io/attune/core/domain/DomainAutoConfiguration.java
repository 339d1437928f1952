package io.attune.core.domain;

import io.attune.core.audit.AuditLog;
import io.attune.core.audit.AuditTrail;
import io.attune.core.audit.ChainAppender;
import io.attune.core.event.OutboxAutoConfiguration;
import io.attune.core.execution.ExecutionLeases;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.core.identity.GroupRepository;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.identity.SessionGuard;
import io.attune.core.inquiry.AuditRepository;
import io.attune.core.inquiry.DecisionMetrics;
import io.attune.core.inquiry.ExecutionCancellation;
import io.attune.core.inquiry.ExecutionResumption;
import io.attune.core.inquiry.ExecutionVisibility;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.core.inquiry.InquiryRequestValidator;
import io.attune.core.inquiry.InquiryTemplates;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.core.inquiry.JsonSchemas;
import io.attune.core.inquiry.ResultMask;
import io.attune.core.workflow.WorkflowLaunch;
import io.attune.core.workflow.WorkflowQueries;
import io.attune.core.persistence.PersistenceAutoConfiguration;
import io.attune.core.workflow.WorkflowRepository;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The domain every service shares: identities and groups, the audit chain, executions and inquiries with the one
 * place that decides each of their transitions, and the workflow records. Its repositories read through Spring Data JPA (the
 * persistence module) and decide and write through Spring's JdbcClient; its transitions store their events through the outbox. Each class is listed, so the
 * module says what it is: a new component of these packages is added here (ModulesTest fails until it is).
 */
@AutoConfiguration(after = {JdbcClientAutoConfiguration.class, OutboxAutoConfiguration.class,
        PersistenceAutoConfiguration.class, HibernateJpaAutoConfiguration.class},
        afterName = "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration")
@Import({
        IdentityRepository.class, GroupRepository.class, SessionGuard.class,
        ChainAppender.class, AuditTrail.class, AuditLog.class,
        ExecutionRepository.class, ExecutionLeases.class, ExecutionTransitions.class,
        InquiryRepository.class, AuditRepository.class, JsonSchemas.class, InquiryTemplates.class,
        InquiryRequestValidator.class, DecisionMetrics.class, InquiryTransitions.class, ResultMask.class,
        ExecutionVisibility.class, ExecutionResumption.class, ExecutionCancellation.class,
        WorkflowRepository.class, WorkflowLaunch.class, WorkflowQueries.class})
public class DomainAutoConfiguration {
}
