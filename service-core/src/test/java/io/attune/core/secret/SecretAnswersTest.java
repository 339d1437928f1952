package io.attune.core.secret;

import io.attune.core.CoreIntegrationTest;
import io.attune.core.error.DomainException;
import io.attune.core.execution.Execution;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.AuditRepository;
import io.attune.core.inquiry.ExecutionResumption;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.core.inquiry.InquiryRequestValidator;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.core.inquiry.ResultMask;
import io.attune.model.ExecutionStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.rest.ErrorCode;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An answer's secrets on the real database and broker: the inquiry row and the resumed execution hold them, the
 * history, every stored event, what the broker carries and the views show {@code ********}.
 */
class SecretAnswersTest extends CoreIntegrationTest {
    static final String PASSWORD = "Pa55-Zq9-unlikely-anywhere";
    static final String TOKEN = "tok-7Hx3-also-unlikely";
    static final JsonNode SCHEMA = Json.tree("""
            {"type": "object", "required": ["approved"],
             "$defs": {"token": {"type": "string", "secret": true}},
             "properties": {
               "approved": {"type": "boolean"},
               "target": {"type": "object", "properties": {
                  "host": {"type": "string"},
                  "password": {"type": "string", "secret": true, "minLength": 8}}},
               "tokens": {"type": "array", "items": {"$ref": "#/$defs/token"}},
               "vault": {"type": "object", "secret": true, "additionalProperties": {"type": "string"}}}}""");
    static final JsonNode ANSWER = Json.tree("""
            {"approved": true, "target": {"host": "db-7", "password": "%s"}, "tokens": ["%s"]}"""
            .formatted(PASSWORD, TOKEN));
    static final JsonNode SHOWN = Json.tree("""
            {"approved": true, "target": {"host": "db-7", "password": "********"}, "tokens": ["********"]}""");

    @Autowired
    InquiryTransitions transitions;
    @Autowired
    ExecutionResumption resumption;
    @Autowired
    InquiryRepository inquiries;
    @Autowired
    AuditRepository audit;
    @Autowired
    ResultMask resultMask;
    @Autowired
    InquiryRequestValidator validator;
    @Autowired
    TransactionTemplate transactions;

    Inquiry open(Long assignedTo) {
        Execution execution = runningExecution();
        JsonNode result = Json.tree("{\"plan\": \"rotate\", \"__inquiry\": {}}");
        return transactions.execute(tx -> transitions.open(executions.lock(execution.id()).orElseThrow(),
                new InquiryRequest("Credentials for the rotation?", SCHEMA, assignedTo, 3600L), result, null));
    }

    @Test
    void theRowAndTheResumedExecutionHoldTheAnswerAndEverythingElseShowsItMasked() {
        Identity ada = identity(Role.USER);
        Inquiry inquiry = open(ada.id());
        try (BrokerProbe probe = new BrokerProbe(environment, "inquiry.responded", "execution.status.changed")) {
            Inquiry responded = transitions.respond(inquiry.id(), ada.actor(), ANSWER, null);

            assertThat(inquiries.find(inquiry.id()).orElseThrow().response()).as("stored as given").isEqualTo(ANSWER);
            assertThat(responded.toView().response()).isEqualTo(SHOWN);
            assertThat(audit.history(inquiry.id()).get(1).details().get("response")).isEqualTo(SHOWN);

            MessageEnvelope<MessagePayload> published = probe.takeMatching(
                    m -> m.payload() instanceof InquiryResponded r && r.inquiryId() == inquiry.id(),
                    Duration.ofSeconds(10));
            InquiryResponded event = (InquiryResponded) published.payload();
            assertThat(event.response()).isEqualTo(SHOWN);

            // the executor's side: it resumes from the row, not from the masked event
            Execution resumed = resumption.resume(event, null).orElseThrow();
            assertThat(resumed.status()).isEqualTo(ExecutionStatus.COMPLETED);
            assertThat(resumed.result().get("__inquiry").get("response")).isEqualTo(ANSWER);
            assertThat(executions.find(resumed.id()).orElseThrow().result().get("__inquiry").get("response"))
                    .isEqualTo(ANSWER);
            assertThat(resultMask.view(resumed).result().get("__inquiry").get("response")).isEqualTo(SHOWN);
            assertThat(resultMask.view(resumed).result().get("plan").asString()).isEqualTo("rotate");

            ExecutionStatusChanged changed = (ExecutionStatusChanged) probe.takeMatching(
                    m -> m.payload() instanceof ExecutionStatusChanged c && c.executionId() == resumed.id()
                            && c.status() == ExecutionStatus.COMPLETED, Duration.ofSeconds(10)).payload();
            assertThat(changed.result().get("__inquiry").get("response")).isEqualTo(SHOWN);
        }
        List<String> storedEvents = jdbc.sql("SELECT envelope::text FROM attune.event").query(String.class).list();
        assertThat(storedEvents).isNotEmpty().noneMatch(e -> e.contains(PASSWORD) || e.contains(TOKEN));
        List<String> history = jdbc.sql("SELECT coalesce(details::text, '') FROM attune.inquiry_audit")
                .query(String.class).list();
        assertThat(history).noneMatch(e -> e.contains(PASSWORD) || e.contains(TOKEN));
    }

    @Test
    void aRefusedAnswerDoesNotEchoItsSecrets() {
        Identity ada = identity(Role.USER);
        Inquiry inquiry = open(ada.id());
        // a secret object's keys are part of the secret: the validator would name this one in its path
        JsonNode wrong = Json.tree("{\"approved\": true, \"target\": {\"password\": \"Zq9-x\"}, "
                + "\"tokens\": [42], \"vault\": {\"Key-Zq9-private\": 5}}");
        assertThatThrownBy(() -> transitions.respond(inquiry.id(), ada.actor(), wrong, null))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).extracting(d -> d.path())
                            .containsExactlyInAnyOrder("/target/password", "/tokens/0", "/vault");
                    assertThat(e.details().toString()).doesNotContain("Zq9-x", "42", "Key-Zq9-private");
                });
        assertThat(inquiries.find(inquiry.id()).orElseThrow().response()).as("nothing stored").isNull();
    }

    @Test
    void anExecutionWhoseInquiryTimedOutOrWasCancelledIsShownAsItIs() {
        Identity admin = identity(Role.ADMIN);
        Inquiry inquiry = open(null);
        transitions.cancel(inquiry.id(), admin.actor(), null);
        Execution cancelled = executions.find(inquiry.execution()).orElseThrow();
        assertThat(resultMask.shown(cancelled.result())).isSameAs(cancelled.result());
    }

    @Test
    void aSecretMarkingThatIsNotABooleanMakesTheInquiryInvalid() {
        InquiryRequestValidator.Result result = validator.validate(Json.tree("""
                {"prompt": "Key?", "response_schema": {"type": "object",
                   "properties": {"key": {"type": "string", "secret": "yes"}}}}"""));
        assertThat(result.isValid()).isFalse();
        assertThat(result.problems()).extracting(p -> p.path())
                .containsExactly("/response_schema/properties/key/secret");
    }
}
