package io.attune.api.external;

import com.zaxxer.hikari.HikariDataSource;
import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.InquiryTemplates;
import io.attune.core.messaging.AmqpSettings;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Approval requests from outside (POST /api/v1/inquiries) and waiting for their decision (?wait=N), on a real
 * Postgres and RabbitMQ, with a connection pool of 4 so that waits that held a connection would show.
 */
class ExternalRequestApiTest extends ApiIntegrationTest {
    static final int POOL = 4;
    static final String ASK = """
            {"prompt": "Deploy billing 2.5.0 to production?",
             "response_schema": {"type": "object", "properties": {"approved": {"type": "boolean"}},
                                 "required": ["approved"]},
             "timeout_seconds": 600,
             "context": {"pipeline": "billing#512", "plan": {"changes": 3}},
             "callback": {"url": "https://ci.example.com/hooks/attune", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}""";

    @Autowired
    DataSource dataSource;
    @Autowired
    InquiryWaits waits;
    @Autowired
    InquiryTemplates templates;
    @Autowired
    ConnectionFactory rabbitConnections;
    @Autowired
    AmqpSettings amqp;
    @Autowired
    @Qualifier("inquiryWaitListener")
    SimpleMessageListenerContainer waitListener;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> POOL);
        registry.add("spring.datasource.hikari.minimum-idle", () -> 1);
        registry.add("attune.waits.max-per-identity", () -> 200);
        // the queue's bindings go after a second without waits (60 s by default), so that the tests see it happen
        registry.add("attune.waits.unbind-after", () -> "1s");
    }

    @Test
    void aRequestMayNameATemplateWithItsVars() {
        templates.register("pipelines.release", "packs/pipelines/inquiries/release.yaml", Json.tree("""
                {"prompt": "Release {{service}} {{version}}?", "timeout_seconds": 900,
                 "response_schema": {"type": "object", "properties": {"approved": {"type": "boolean"}},
                                     "required": ["approved"]}}"""), null);
        Identity ci = identity(Role.USER);
        Response created = api().post("/api/v1/inquiries", token(ci), """
                {"template": "pipelines.release", "vars": {"service": "billing", "version": "2.5.0"},
                 "context": {"pipeline": "billing#513"}}""");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.data().get("prompt").asString()).isEqualTo("Release billing 2.5.0?");

        Response missingVar = api().post("/api/v1/inquiries", token(ci), """
                {"template": "pipelines.release", "vars": {"service": "billing"}}""");
        assertThat(missingVar.status()).as("%s", missingVar).isEqualTo(422);
        assertThat(missingVar.body().toString()).contains("/vars").contains("{{version}}");
        Response missingTemplate = api().post("/api/v1/inquiries", token(ci), "{\"template\": \"pipelines.nothing\"}");
        assertThat(missingTemplate.status()).as("%s", missingTemplate).isEqualTo(422);
        assertThat(missingTemplate.body().toString()).contains("/template");
    }

    @Test
    void aRequestRecordsAPausedExecutionWithItsContextAndNoWorkForAWorker() {
        Identity ci = identity(Role.USER);
        Response created = api().post("/api/v1/inquiries", token(ci), ASK);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode inquiry = created.data();
        assertThat(inquiry.get("status").asString()).isEqualTo("pending");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/inquiries/" + inquiry.get("id").asLong());
        long execution = inquiry.get("execution").asLong();

        JsonNode shown = api().get("/api/v1/executions/" + execution, token(ci)).data();
        assertThat(shown.get("action_ref").asString()).isEqualTo("external.request");
        assertThat(shown.get("status").asString()).isEqualTo("paused");
        assertThat(shown.get("requested_by").asLong()).isEqualTo(ci.id());
        assertThat(shown.get("result")).isEqualTo(Json.tree("{\"pipeline\": \"billing#512\", \"plan\": {\"changes\": 3}}"));

        List<String> events = jdbc.sql("SELECT message_type FROM attune.event WHERE execution_id = ? ORDER BY outbox_id")
                .param(execution).query(String.class).list();
        assertThat(events).containsExactlyInAnyOrder("InquiryCreated", "ExecutionStatusChanged");
        assertThat(jdbc.sql("SELECT callback_url || ' ' || callback_secret FROM attune.external_request WHERE inquiry = ?")
                .param(inquiry.get("id").asLong()).query(String.class).single())
                .isEqualTo("https://ci.example.com/hooks/attune whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        // nobody can make a worker run it
        assertError(api().post("/api/v1/executions", token(ci), "{\"action_ref\": \"external.request\"}"), 400,
                "BAD_REQUEST");
    }

    @Test
    void theRequesterCannotApproveButFollowsTheDecisionWhileAColleagueAnswers() throws Exception {
        Identity ci = identity(Role.USER);
        Identity approver = identity(Role.USER);
        JsonNode inquiry = api().post("/api/v1/inquiries", token(ci), ASK.replace("\"timeout_seconds\": 600",
                "\"timeout_seconds\": 600, \"assigned_to\": " + approver.id())).data();
        long id = inquiry.get("id").asLong();
        // answering stays the assignee's: to the requester someone else's inquiry is not there to answer (404)
        assertError(api().post("/api/v1/inquiries/" + id + "/respond", token(ci), "{\"response\": {\"approved\": true}}"),
                404, "NOT_FOUND");
        Identity admin = identity(Role.ADMIN);
        JsonNode own = api().post("/api/v1/inquiries", token(admin), ASK).data();
        assertError(api().post("/api/v1/inquiries/" + own.get("id").asLong() + "/respond", token(admin),
                "{\"response\": {\"approved\": true}}"), 403, "SELF_APPROVAL");

        CompletableFuture<Response> waiting = waitAsync(id, 30, token(ci)); // assigned to someone else, still its own
        Thread.sleep(1_000);
        assertThat(waiting).isNotDone();
        Response answer = api().post("/api/v1/inquiries/" + id + "/respond", token(approver),
                "{\"response\": {\"approved\": false}}");
        long answered = System.nanoTime(); // the answer is in once respond has answered
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        Response woken = waiting.get(10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - answered) / 1e9;
        System.out.printf("?wait=30 answered %.3f s after the answer%n", seconds);
        assertThat(seconds).isLessThan(1.0);
        assertThat(woken.status()).isEqualTo(200);
        assertThat(woken.data().get("status").asString()).isEqualTo("responded");
        assertThat(woken.data().get("response").get("approved").asBoolean()).isFalse();

        // someone who neither may see it nor asked for it gets 404, waiting or not
        assertError(api().get("/api/v1/inquiries/" + id + "?wait=1", token(identity(Role.USER))), 404, "NOT_FOUND");
    }

    @Test
    void aWaitAnswersThePendingInquiryAfterItsSeconds() {
        Identity ci = identity(Role.USER);
        long id = api().post("/api/v1/inquiries", token(ci), ASK).data().get("id").asLong();
        long start = System.nanoTime();
        Response pending = api().get("/api/v1/inquiries/" + id + "?wait=2", token(ci));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(pending.status()).isEqualTo(200);
        assertThat(pending.data().get("status").asString()).isEqualTo("pending");
        assertThat(seconds).isBetween(1.9, 3.5);
        assertThat(api().get("/api/v1/inquiries/" + id + "?wait=0", token(ci)).data().get("status").asString())
                .isEqualTo("pending");
    }

    @Test
    void aTimeoutAndACancellationEndTheWait() throws Exception {
        Identity ci = identity(Role.USER);
        long timingOut = api().post("/api/v1/inquiries", token(ci), ASK.replace("600", "1")).data().get("id").asLong();
        CompletableFuture<Response> waiting = waitAsync(timingOut, 30, token(ci));
        Thread.sleep(1_200);
        inquiryTransitions.timeOutExpired(100, UUID.randomUUID()); // what the executor's sweep does
        Response timedOut = waiting.get(5, TimeUnit.SECONDS);
        assertThat(timedOut.data().get("status").asString()).isEqualTo("timeout");

        long cancelled = api().post("/api/v1/inquiries", token(ci), ASK).data().get("id").asLong();
        CompletableFuture<Response> waitingToo = waitAsync(cancelled, 30, token(ci));
        Thread.sleep(500);
        long execution = api().get("/api/v1/inquiries/" + cancelled, token(ci)).data().get("execution").asLong();
        // the requester withdraws its request by cancelling its execution
        assertThat(api().post("/api/v1/executions/" + execution + "/cancel", token(ci), "").status()).isEqualTo(200);
        Response withdrawn = waitingToo.get(5, TimeUnit.SECONDS);
        assertThat(withdrawn.data().get("status").asString()).isEqualTo("cancelled");
    }

    @Test
    void aWaitWhoseEventNeverArrivesIsAnsweredByTheSweepAndTheQueueComesBack() throws Exception {
        Identity ci = identity(Role.USER);
        Identity approver = identity(Role.USER);
        long id = api().post("/api/v1/inquiries", token(ci), ASK).data().get("id").asLong();
        // the queue gone (as when the broker connection drops: it is exclusive and auto-delete): the event is lost
        waitListener.stop();
        try {
            CompletableFuture<Response> waiting = waitAsync(id, 30, token(ci));
            await().atMost(Duration.ofSeconds(10)).until(() -> waits.waiting() >= 1);
            assertThat(api().post("/api/v1/inquiries/" + id + "/respond", token(approver),
                    "{\"response\": {\"approved\": true}}").status()).isEqualTo(200);
            long answered = System.nanoTime();
            Response late = waiting.get(15, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - answered) / 1e9;
            System.out.printf("a wait whose event was lost answered %.1f s after the answer (sweep every %s)%n",
                    seconds, InquiryWaits.SWEEP);
            assertThat(late.data().get("status").asString()).isEqualTo("responded");
            assertThat(seconds).isLessThan(InquiryWaits.SWEEP.toSeconds() + 2);
        } finally {
            waitListener.start();
        }
        // consuming again (the queue declared anew), events wake waits at once as before
        long next = api().post("/api/v1/inquiries", token(ci), ASK).data().get("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> waitListener.isRunning()
                && waitListener.getActiveConsumerCount() > 0);
        CompletableFuture<Response> waiting = waitAsync(next, 30, token(ci));
        Thread.sleep(500);
        assertThat(api().post("/api/v1/inquiries/" + next + "/respond", token(approver),
                "{\"response\": {\"approved\": true}}").status()).isEqualTo(200);
        long answered = System.nanoTime();
        assertThat(waiting.get(10, TimeUnit.SECONDS).data().get("status").asString()).isEqualTo("responded");
        assertThat((System.nanoTime() - answered) / 1e9).isLessThan(2.0);
    }

    @Test
    void waitOutsideZeroToSixtyIsABadRequest() {
        Identity ci = identity(Role.USER);
        long id = api().post("/api/v1/inquiries", token(ci), ASK).data().get("id").asLong();
        for (String wait : List.of("61", "-1", "abc", "3600")) {
            assertError(api().get("/api/v1/inquiries/" + id + "?wait=" + wait, token(ci)), 400, "BAD_REQUEST");
        }
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        String token = token(identity(Role.USER));
        assertError(api().post("/api/v1/inquiries", token, "[1]"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/inquiries", token, "{\"prompt\": \"x\", \"promt\": \"y\"}"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/inquiries", token, Json.write(Map.of("prompt", "x".repeat(5000)))), 413,
                "PAYLOAD_TOO_LARGE");
        assertError(api().post("/api/v1/inquiries", token, Json.write(Map.of("prompt", "x",
                "context", Map.of("blob", "y".repeat(300_000))))), 413, "PAYLOAD_TOO_LARGE");
        JsonNode invalid = assertError(api().post("/api/v1/inquiries", token, """
                {"prompt": "", "response_schema": {"$ref": "#"}, "timeout_seconds": -1, "assigned_to": 999999,
                 "context": [1], "callback": {"url": "ftp://x", "secret": "nope"}}"""), 422, "VALIDATION_ERROR");
        assertThat(invalid.get("details").findValuesAsString("path")).contains("/prompt", "/response_schema",
                "/timeout_seconds", "/assigned_to", "/context", "/callback/url", "/callback/secret");
        assertError(api().post("/api/v1/inquiries", token, "{\"prompt\": \"x\", \"context\": {\"__inquiry\": 1}}"),
                422, "VALIDATION_ERROR");
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        assertError(api().post("/api/v1/inquiries", token, "{\"prompt\": \"x\", \"context\": " + deep + "}"), 422,
                "VALIDATION_ERROR");
        assertError(api().post("/api/v1/inquiries", token, "{\"prompt\": \"x\", \"context\": {\"a\": \"\\u0000\"}}"),
                422, "VALIDATION_ERROR");
        assertError(api().post("/api/v1/inquiries", token, "{\"prompt\": \"a\\u0000b\"}"), 422, "VALIDATION_ERROR");
        assertError(api().post("/api/v1/inquiries", null, ASK), 401, "UNAUTHORIZED");
    }

    @Test
    void anIdempotencyKeyMakesARetryReturnTheSameInquiry() {
        String token = token(identity(Role.USER));
        Map<String, String> key = Map.of("Idempotency-Key", "pipeline-512-deploy");
        Response first = api().post("/api/v1/inquiries", token, ASK, key);
        Response again = api().post("/api/v1/inquiries", token, ASK, key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(again.data().get("id")).isEqualTo(first.data().get("id"));
        assertError(api().post("/api/v1/inquiries", token, ASK.replace("512", "513"), key), 409, "CONFLICT");
        // another identity's key is its own
        assertThat(api().post("/api/v1/inquiries", token(identity(Role.USER)), ASK, key).status()).isEqualTo(201);
        assertError(api().post("/api/v1/inquiries", token, ASK, Map.of("Idempotency-Key", "has space")), 400,
                "BAD_REQUEST");
    }

    @Test
    void twoHundredWaitsHoldNoDatabaseConnection() throws Exception {
        Identity ci = identity(Role.USER);
        Identity approver = identity(Role.USER);
        long id = api().post("/api/v1/inquiries", token(ci), ASK).data().get("id").asLong();
        String ciToken = token(ci);
        List<CompletableFuture<Response>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(waitAsync(id, 60, ciToken));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> waits.waiting() == 200);
        HikariDataSource pool = (HikariDataSource) dataSource;
        assertThat(pool.getMaximumPoolSize()).isEqualTo(POOL);
        // a wait counts from before its first read, so the last few may still be reading when the count hits 200;
        // once those reads end, 200 open waits hold none of the pool's connections (were they held, the pool would
        // stay exhausted and this would time out)
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.getHikariPoolMXBean().getActiveConnections() == 0);
        System.out.printf("200 waits open: %d of %d pooled connections active (pool max %d)%n",
                pool.getHikariPoolMXBean().getActiveConnections(), pool.getHikariPoolMXBean().getTotalConnections(),
                pool.getMaximumPoolSize());
        // the pool is free for everyone else meanwhile
        assertThat(api().get("/api/v1/inquiries/" + id, ciToken).status()).isEqualTo(200);
        assertThat(all).noneMatch(CompletableFuture::isDone);
        // one more from the same identity is over its bound (attune.waits.max-per-identity, 200 here)
        Response tooMany = api().get("/api/v1/inquiries/" + id + "?wait=5", ciToken);
        assertError(tooMany, 429, "RATE_LIMITED");
        assertThat(tooMany.headers().firstValue("Retry-After")).hasValue("1");

        long answered = System.nanoTime();
        assertThat(api().post("/api/v1/inquiries/" + id + "/respond", token(approver),
                "{\"response\": {\"approved\": true}}").status()).isEqualTo(200);
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        System.out.printf("200 waits answered %.3f s after the answer%n", (System.nanoTime() - answered) / 1e9);
        assertThat(all).allSatisfy(wait -> {
            assertThat(wait.get().status()).isEqualTo(200);
            assertThat(wait.get().data().get("status").asString()).isEqualTo("responded");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> waits.waiting() == 0);
    }

    @Test
    void aRequestTakesAGroupAndAQuorumWithADecisionField() {
        Identity ci = identity(Role.USER);
        Identity member = identity(Role.USER);
        Identity otherMember = identity(Role.USER);
        Identity outsider = identity(Role.USER);
        String group = "release-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api().post("/api/v1/groups", token(admin()), Json.write(Map.of("name", group,
                "members", List.of(member.id(), otherMember.id())))).status()).isEqualTo(201);
        String approval = "\"response_schema\": " + APPROVAL_SCHEMA + ", \"assigned_to\": {\"group\": \"" + group
                + "\"}";

        long grouped = api().post("/api/v1/inquiries", token(ci), "{\"prompt\": \"Release?\", " + approval + "}")
                .data().get("id").asLong();
        // a non-member is not among who may answer: to them it is not there (404, as everywhere)
        assertError(respond(grouped, outsider, true), 404, "NOT_FOUND");
        assertThat(respond(grouped, member, true).data().get("status").asString()).isEqualTo("responded");

        String quorum = "{\"prompt\": \"Two approvals?\", " + approval
                + ", \"approvals_required\": 2, \"decision_field\": \"/approved\"}";
        JsonNode twoNeeded = api().post("/api/v1/inquiries", token(ci), quorum).data();
        assertThat(twoNeeded.get("approvals_required").asInt()).isEqualTo(2);
        assertThat(twoNeeded.get("decision_field").asString()).isEqualTo("/approved");
        long id = twoNeeded.get("id").asLong();
        JsonNode first = respond(id, member, true).data();
        assertThat(first.get("status").asString()).isEqualTo("pending"); // one approval of two
        assertThat(first.get("responses")).hasSize(1);
        JsonNode second = respond(id, otherMember, true).data();
        assertThat(second.get("status").asString()).isEqualTo("responded");
        assertThat(second.get("responses")).hasSize(2);
        // a false at decision_field decides at once
        long rejected = api().post("/api/v1/inquiries", token(ci), quorum).data().get("id").asLong();
        assertThat(respond(rejected, member, false).data().get("status").asString()).isEqualTo("responded");
    }

    @Test
    void onTimeoutIsCheckedAgainstTheSchemaAndUsedAndASecretAnswerIsMasked() throws Exception {
        Identity ci = identity(Role.USER);
        Identity approver = identity(Role.USER);
        String schema = """
                {"type": "object", "required": ["approved"], "properties": {"approved": {"type": "boolean"},
                 "token": {"type": "string", "secret": true}}}""";
        String ask = """
                {"prompt": "Rotate the deploy key?", "response_schema": %s, "assigned_to": %d, "timeout_seconds": %d,
                 "on_timeout": {"response": %s}}""";
        JsonNode invalid = assertError(api().post("/api/v1/inquiries", token(ci),
                ask.formatted(schema, approver.id(), 600, "{\"approved\": \"no\"}")), 422, "VALIDATION_ERROR");
        assertThat(invalid.get("details").findValuesAsString("path"))
                .anyMatch(path -> path.startsWith("/on_timeout/response"));

        JsonNode defaulting = api().post("/api/v1/inquiries", token(ci),
                ask.formatted(schema, approver.id(), 1, "{\"approved\": false}")).data();
        assertThat(defaulting.get("on_timeout")).isEqualTo(Json.tree("{\"response\": {\"approved\": false}}"));
        Thread.sleep(1_200);
        inquiryTransitions.timeOutExpired(100, UUID.randomUUID()); // what the executor's sweep does
        JsonNode timedOut = api().get("/api/v1/inquiries/" + defaulting.get("id").asLong(), token(ci)).data();
        assertThat(timedOut.get("status").asString()).isEqualTo("timeout");
        assertThat(timedOut.get("defaulted").asBoolean()).isTrue();
        JsonNode execution = api().get("/api/v1/executions/" + defaulting.get("execution").asLong(), token(ci)).data();
        assertThat(execution.get("status").asString()).isEqualTo("completed"); // went on with the default answer
        assertThat(execution.at("/result/__inquiry/response/approved").asBoolean(true)).isFalse();

        String secret = "rotation-token-" + UUID.randomUUID();
        long id = api().post("/api/v1/inquiries", token(ci), ask.formatted(schema, approver.id(), 600,
                "{\"approved\": false}")).data().get("id").asLong();
        Response answered = api().post("/api/v1/inquiries/" + id + "/respond", token(approver),
                "{\"response\": {\"approved\": true, \"token\": \"" + secret + "\"}}");
        assertThat(answered.status()).as("%s", answered).isEqualTo(200);
        for (Response shown : List.of(answered, api().get("/api/v1/inquiries/" + id, token(ci)),
                api().get("/api/v1/inquiries/" + id + "?wait=5", token(ci)),
                api().get("/api/v1/inquiries/" + id + "/history", token(ci)))) {
            assertThat(shown.body()).as("%s", shown).doesNotContain(secret);
        }
        assertThat(answered.data().at("/response/token").asString()).isEqualTo("********");
        assertThat(jdbc.sql("SELECT response->>'token' FROM attune.inquiry WHERE id = ?").param(id)
                .query(String.class).single()).isEqualTo(secret); // kept for the execution, masked in every view
    }

    private Response respond(long inquiry, Identity who, boolean approved) {
        return api().post("/api/v1/inquiries/" + inquiry + "/respond", token(who),
                "{\"response\": {\"approved\": " + approved + "}}");
    }

    @Test
    void theCallbacksDeliveriesAreListedWithTheirTriesForTheRequesterAndAdminsOnly() {
        Identity ci = identity(Role.USER);
        Identity approver = identity(Role.USER);
        String ciToken = token(ci);
        JsonNode inquiry = api().post("/api/v1/inquiries", ciToken, ASK.replace("\"timeout_seconds\": 600",
                "\"timeout_seconds\": 600, \"assigned_to\": " + approver.id())).data();
        long id = inquiry.get("id").asLong();
        assertThat(api().post("/api/v1/inquiries/" + id + "/respond", token(approver),
                "{\"response\": {\"approved\": true}}").status()).isEqualTo(200);
        // as the notifier records the decision's callback: refused once with 503, then delivered
        long delivery = insertCallbackDelivery(inquiry, "delivered", 2, 200);
        insertTry(delivery, 1, "failed", 503, "the receiver answered 503");
        insertTry(delivery, 2, "delivered", 200, null);
        // neither a channel's delivery of the same inquiry nor another request's callback is in its log
        long channel = jdbc.sql("INSERT INTO attune.channel (type, name, config) VALUES ('webhook', ?, "
                        + "'{\"url\": \"https://hooks.example.com/x\"}') RETURNING id")
                .param("hook-" + id).query(Long.class).single();
        jdbc.sql("INSERT INTO attune.delivery (message_id, event_id, channel_id, target_key, event_type, inquiry_id, "
                        + "message, give_up_at) VALUES (?, ?, ?, ?, 'inquiry.responded', ?, '{}', "
                        + "now() + interval '1 day')")
                .params("msg_channel_" + id, 900_000L + id, channel, "channel:" + channel, id).update();
        insertCallbackDelivery(api().post("/api/v1/inquiries", ciToken, ASK).data(), "pending", 0, null);

        Response log = api().get("/api/v1/inquiries/" + id + "/callback/deliveries", ciToken);
        assertThat(log.status()).as("%s", log).isEqualTo(200);
        assertThat(log.json().get("total").asLong()).isEqualTo(1);
        JsonNode row = log.json().get("data").get(0);
        assertThat(row.get("id").asLong()).isEqualTo(delivery);
        assertThat(row.get("event_type").asString()).isEqualTo("inquiry.responded");
        assertThat(row.get("inquiry").asLong()).isEqualTo(id);
        assertThat(row.get("status").asString()).isEqualTo("delivered");
        assertThat(row.get("attempts").asInt()).isEqualTo(2);
        assertThat(row.get("last_response_code").asInt()).isEqualTo(200);
        assertThat(row.get("tries").findValues("response_code")).extracting(JsonNode::asInt).containsExactly(503, 200);
        assertThat(row.at("/tries/0/error").asString()).isEqualTo("the receiver answered 503");
        // the callback, and its secret, are never shown
        assertThat(log.body()).doesNotContain("whsec_", "ci.example.com");
        assertThat(api().get("/api/v1/inquiries/" + id + "/callback/deliveries?status=failed", ciToken).json()
                .get("total").asLong()).isZero();
        assertThat(api().get("/api/v1/inquiries/" + id + "/callback/deliveries?status=delivered&per_page=1", ciToken)
                .json().get("total").asLong()).isEqualTo(1);
        assertError(api().get("/api/v1/inquiries/" + id + "/callback/deliveries?status=lost", ciToken), 400,
                "BAD_REQUEST");
        assertError(api().get("/api/v1/inquiries/" + id + "/callback/deliveries?per_page=0", ciToken), 400,
                "BAD_REQUEST");

        Identity admin = admin();
        assertThat(api().get("/api/v1/inquiries/" + id + "/callback/deliveries", token(admin)).json().get("data")
                .findValuesAsString("message_id")).containsExactly("msg_callback_" + id);
        // the approver sees the inquiry, but the callback is the requester's; anyone else does not see it at all
        assertError(api().get("/api/v1/inquiries/" + id + "/callback/deliveries", token(approver)), 403, "FORBIDDEN");
        assertError(api().get("/api/v1/inquiries/" + id + "/callback/deliveries", token(identity(Role.USER))), 404,
                "NOT_FOUND");
        // no callback: a request without one, an action's inquiry, no inquiry at all
        long withoutCallback = api().post("/api/v1/inquiries", ciToken, "{\"prompt\": \"No callback?\"}").data()
                .get("id").asLong();
        assertError(api().get("/api/v1/inquiries/" + withoutCallback + "/callback/deliveries", ciToken), 404,
                "NOT_FOUND");
        assertError(api().get("/api/v1/inquiries/" + openInquiry(null).id() + "/callback/deliveries", token(admin)),
                404, "NOT_FOUND");
        assertError(api().get("/api/v1/inquiries/987654321/callback/deliveries", token(admin)), 404, "NOT_FOUND");
    }

    /** A delivery of the inquiry's decision to its request's callback, as the notifier's fan-out and sender write. */
    private long insertCallbackDelivery(JsonNode inquiry, String status, int attempts, Integer lastCode) {
        long id = inquiry.get("id").asLong();
        return jdbc.sql("INSERT INTO attune.delivery (message_id, event_id, target_key, callback, event_type, "
                        + "inquiry_id, message, status, attempts, last_code, delivered_at, next_attempt_at, "
                        + "give_up_at) "
                        + "VALUES (?, ?, ?, ?::jsonb, 'inquiry.responded', ?, '{}', ?, ?, ?::int, "
                        + "CASE WHEN ? = 'delivered' THEN now() END, CASE WHEN ? = 'pending' THEN now() END, "
                        + "now() + interval '1 day') RETURNING id")
                .params("msg_callback_" + id, 900_000L + id, "callback:" + inquiry.get("execution").asLong(),
                        "{\"url\": \"https://ci.example.com/hooks/attune\", "
                                + "\"secret\": \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}",
                        id, status, attempts, lastCode, status, status)
                .query(Long.class).single();
    }

    private void insertTry(long delivery, int attempt, String status, int code, String error) {
        jdbc.sql("INSERT INTO attune.delivery_attempt (delivery_id, attempt, status, response_code, error, replica, "
                + "finished_at) VALUES (?, ?, ?, ?, ?, 'n1', now())").params(delivery, attempt, status, code, error)
                .update();
    }

    @Test
    void aReplicaIsSentDecisionsOnlyWhileItHasWaits() throws Exception {
        Identity ci = identity(Role.USER);
        Identity approver = identity(Role.USER);
        // no wait for a second: at the next sweep the queue's bindings go, and a decision is routed nowhere here
        await().atMost(Duration.ofSeconds(20)).until(() -> waits.waiting() == 0 && !waits.receivingDecisions());
        assertThat(routedToAWaitQueue("inquiry.timeout")).as("routed with no wait on the replica").isFalse();
        assertThat(routedToAWaitQueue("inquiry.responded")).as("routed with no wait on the replica").isFalse();

        // a wait of 0 s is answered by its one read: it binds nothing
        long id = api().post("/api/v1/inquiries", token(ci), ASK).data().get("id").asLong();
        assertThat(api().get("/api/v1/inquiries/" + id + "?wait=0", token(ci)).data().get("status").asString())
                .isEqualTo("pending");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !waits.receivingDecisions());

        // a wait binds it again, and its decision wakes it at once
        CompletableFuture<Response> waiting = waitAsync(id, 30, token(ci));
        await().atMost(Duration.ofSeconds(10)).until(waits::receivingDecisions);
        assertThat(routedToAWaitQueue("inquiry.cancelled")).as("routed while a wait is open").isTrue();
        assertThat(api().post("/api/v1/inquiries/" + id + "/respond", token(approver),
                "{\"response\": {\"approved\": true}}").status()).isEqualTo(200);
        long answered = System.nanoTime();
        assertThat(waiting.get(10, TimeUnit.SECONDS).data().get("status").asString()).isEqualTo("responded");
        assertThat((System.nanoTime() - answered) / 1e9).isLessThan(2.0);

        // and once the replica has had no wait for a while, the bindings go again
        await().atMost(Duration.ofSeconds(20)).until(() -> !waits.receivingDecisions());
        assertThat(routedToAWaitQueue("inquiry.timeout")).isFalse();
    }

    /**
     * Whether the broker routes a message with this routing key to some queue: published as mandatory, it comes back
     * when no queue is bound to the key. In this test only the api's wait queue binds the decisions' keys.
     */
    private boolean routedToAWaitQueue(String routingKey) throws Exception {
        AtomicBoolean returned = new AtomicBoolean();
        try (com.rabbitmq.client.Connection connection = ((CachingConnectionFactory) rabbitConnections)
                .getRabbitConnectionFactory().newConnection();
             com.rabbitmq.client.Channel channel = connection.createChannel()) {
            channel.addReturnListener(message -> returned.set(true));
            channel.confirmSelect();
            // a body that names no inquiry: a wait queue that receives it wakes nobody
            channel.basicPublish(amqp.exchange(), routingKey, true, null, "{}".getBytes());
            channel.waitForConfirmsOrDie(5_000); // an unroutable message comes back before its confirm
        }
        return !returned.get();
    }

    private CompletableFuture<Response> waitAsync(long id, int seconds, String token) {
        HttpRequest request = api().request("/api/v1/inquiries/" + id + "?wait=" + seconds, token)
                .timeout(Duration.ofSeconds(seconds + 20)).GET().build();
        return CompletableFuture.supplyAsync(() -> api().send(request), EXECUTOR);
    }

    private static final java.util.concurrent.ExecutorService EXECUTOR =
            java.util.concurrent.Executors.newCachedThreadPool();
}
