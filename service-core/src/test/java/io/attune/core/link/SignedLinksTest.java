package io.attune.core.link;

import io.attune.core.CoreIntegrationTest;
import io.attune.core.error.DomainException;
import io.attune.core.execution.Execution;
import io.attune.core.identity.Actor;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.rest.ErrorCode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignedLinksTest extends CoreIntegrationTest {
    static final JsonNode SCHEMA = Json.tree("""
            {"type": "object", "properties": {"approved": {"type": "boolean"}}, "required": ["approved"]}""");

    @Autowired
    SignedLinks links;
    @Autowired
    LinkAnswers answers;
    @Autowired
    InquiryTransitions transitions;
    @Autowired
    InquiryRepository inquiries;
    @Autowired
    TransactionTemplate transactions;

    Inquiry open(Long assignedTo) {
        Execution execution = runningExecution();
        return transactions.execute(tx -> transitions.open(executions.lock(execution.id()).orElseThrow(),
                new InquiryRequest("Approve?", SCHEMA, assignedTo, 3600L), Json.tree("{}"), null));
    }

    static String token(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Test
    void aLinkIsStoredHashedAnswersOnceAndAFailedAnswerDoesNotConsumeIt() {
        Identity ada = identity();
        Inquiry inquiry = open(ada.id());
        String url = links.respondLink(inquiry.id(), ada.id());
        assertThat(url).matches("http://localhost:8080/a/[A-Za-z0-9_-]{43}");
        assertThat(links.viewLink(inquiry.id())).isEqualTo("http://localhost:8080/#/inquiries/" + inquiry.id());
        String token = token(url);
        assertThat(jdbc.sql("""
                SELECT count(*) FROM attune.signed_link s
                 WHERE s::text LIKE '%' || :token || '%'
                    OR position(convert_to(:token, 'UTF8') IN s.token_hash) > 0""")
                .param("token", token).query(Long.class).single()).isZero();

        assertThat(answers.open(token).identity().id()).isEqualTo(ada.id());
        assertThatThrownBy(() -> answers.answer(token, Json.tree("{\"approved\": \"yes\"}"), null))
                .isInstanceOf(DomainException.class)
                .satisfies(e -> assertThat(((DomainException) e).code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThat(links.find(token).orElseThrow().used()).isFalse();

        Inquiry answered = answers.answer(token, Json.tree("{\"approved\": true}"), null);
        assertThat(answered.status()).isEqualTo(InquiryStatus.RESPONDED);
        assertThat(answered.respondedBy()).isEqualTo(ada.id());
        assertThat(links.find(token).orElseThrow().used()).isTrue();
        assertThatThrownBy(() -> answers.answer(token, Json.tree("{\"approved\": true}"), null))
                .isInstanceOfSatisfying(LinkRefusal.class, e -> assertThat(e.reason()).isEqualTo(LinkRefusal.Reason.USED));
    }

    @Test
    void ofTwoUsesAtTheSameMomentExactlyOneAnswers() throws Exception {
        for (int round = 0; round < 5; round++) {
            Identity ada = identity();
            Inquiry inquiry = open(ada.id());
            String token = token(links.respondLink(inquiry.id(), ada.id()));
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            var start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Boolean>> uses = new java.util.ArrayList<>();
            for (int use = 0; use < 2; use++) {
                uses.add(pool.submit(() -> {
                    start.await();
                    try {
                        answers.answer(token, Json.tree("{\"approved\": true}"), null);
                        return true;
                    } catch (DomainException refused) { // a used link, or an inquiry no longer pending
                        return false;
                    }
                }));
            }
            start.countDown();
            int answered = 0;
            for (var use : uses) {
                answered += use.get(30, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
            }
            pool.shutdown();
            assertThat(answered).isEqualTo(1);
            assertThat(links.find(token).orElseThrow().used()).isTrue();
            assertThat(jdbc.sql("SELECT count(*) FROM attune.event WHERE message_type = 'InquiryResponded' "
                    + "AND inquiry_id = ?").param(inquiry.id()).query(Long.class).single()).isEqualTo(1L);
        }
    }

    @Test
    void refusedForSomeoneElsesInquiryAClosedInquiryADisabledIdentityAndAnUnknownToken() {
        Identity ada = identity();
        Identity bob = identity();
        Inquiry adas = open(ada.id());
        String bobsToken = token(links.respondLink(adas.id(), bob.id()));
        assertThatThrownBy(() -> answers.open(bobsToken)).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThatThrownBy(() -> answers.answer(bobsToken, Json.tree("{\"approved\": true}"), null))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(links.find(bobsToken).orElseThrow().used()).isFalse();

        String adasToken = token(links.respondLink(adas.id(), ada.id()));
        transitions.cancel(adas.id(), Actor.SYSTEM, null);
        assertThatThrownBy(() -> answers.open(adasToken)).isInstanceOfSatisfying(LinkRefusal.class,
                e -> assertThat(e.reason()).isEqualTo(LinkRefusal.Reason.CLOSED));

        Inquiry open = open(null);
        String token = token(links.respondLink(open.id(), bob.id()));
        jdbc.sql("UPDATE attune.identity SET disabled = true WHERE id = ?").param(bob.id()).update();
        assertThatThrownBy(() -> answers.answer(token, Json.tree("{\"approved\": true}"), null))
                .isInstanceOfSatisfying(LinkRefusal.class,
                        e -> assertThat(e.reason()).isEqualTo(LinkRefusal.Reason.DISABLED));
        assertThat(inquiries.find(open.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);

        assertThatThrownBy(() -> answers.open("not-a-token")).isInstanceOfSatisfying(LinkRefusal.class,
                e -> assertThat(e.reason()).isEqualTo(LinkRefusal.Reason.UNKNOWN));
        assertThatThrownBy(() -> answers.open("A".repeat(43))).isInstanceOfSatisfying(LinkRefusal.class,
                e -> assertThat(e.reason()).isEqualTo(LinkRefusal.Reason.UNKNOWN));
    }
}
