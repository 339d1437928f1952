package io.attune.api.slack;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.channel.ChannelRepository;
import io.attune.core.identity.Identity;
import io.attune.core.execution.Execution;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.testsupport.FakeSlack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** /integrations/slack/interactions over real HTTP, with payloads signed as Slack signs them. */
class SlackInteractionsApiTest extends ApiIntegrationTest {
    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static FakeSlack slack;

    @Autowired
    ChannelRepository channels;
    @Autowired
    InquiryRepository inquiries;

    @BeforeAll
    static void slack() {
        slack = new FakeSlack();
    }

    @AfterAll
    static void stop() {
        slack.close();
    }

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
        registry.add("ATTUNE_SLACK_RESPONSE_URL_PREFIX", () -> "http://127.0.0.1:");
    }

    Identity slackUser(String slackId) {
        Identity identity = identity();
        jdbc.sql("UPDATE attune.identity SET attributes = jsonb_build_object('slack_user_id', ?) WHERE id = ?")
                .params(slackId, identity.id()).update();
        return identity;
    }

    void channel() {
        if (channels.ofType("slack").isEmpty()) {
            channels.create("slack", "approvals", Json.tree("{\"webhook_url\": \"https://hooks.slack.com/services/x\", "
                    + "\"signing_secret\": \"" + SECRET + "\"}"), Json.tree("{}"), true, null);
        }
    }

    Response post(FakeSlack.SignedRequest signed) {
        return api().send(HttpRequest.newBuilder(api().uri("/integrations/slack/interactions"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", signed.timestamp())
                .header("X-Slack-Signature", signed.signature())
                .POST(HttpRequest.BodyPublishers.ofString(signed.body())).build());
    }

    @Test
    void anApprovalAnswersAsTheMappedIdentityAndReplacesTheButtons() {
        channel();
        Identity ada = slackUser("U0ADA");
        Inquiry inquiry = openInquiry(ada.id());
        String responseUrl = slack.url() + "/response/1";
        Response ok = post(FakeSlack.sign(SECRET, FakeSlack.blockActions("U0ADA", "attune_approve", inquiry.id(),
                responseUrl), Instant.now()));
        assertThat(ok.status()).as("%s", ok).isEqualTo(200);
        Inquiry answered = inquiries.find(inquiry.id()).orElseThrow();
        assertThat(answered.status()).isEqualTo(InquiryStatus.RESPONDED);
        assertThat(answered.respondedBy()).isEqualTo(ada.id());
        assertThat(answered.response()).isEqualTo(Json.tree("{\"approved\": true}"));
        JsonNode update = Json.tree(slack.take("/response/1", Duration.ofSeconds(10)).body());
        assertThat(update.get("replace_original").asBoolean()).isTrue();
        assertThat(update.toString()).contains("Approved", ada.login()).doesNotContain("\"actions\"");

        // the same click again: refused by respond (409), said ephemerally
        Response again = post(FakeSlack.sign(SECRET, FakeSlack.blockActions("U0ADA", "attune_reject", inquiry.id(),
                responseUrl), Instant.now()));
        assertThat(again.status()).isEqualTo(200);
        JsonNode refusal = Json.tree(slack.take("/response/1", Duration.ofSeconds(10)).body());
        assertThat(refusal.get("response_type").asString()).isEqualTo("ephemeral");
        assertThat(refusal.get("text").asString()).contains("already responded");
    }

    @Test
    void aFirstApprovalOfTwoKeepsTheButtonsForTheNextApproverAndTheSecondRemovesThem() {
        channel();
        Identity ada = slackUser("U0QADA");
        Identity bob = slackUser("U0QBOB");
        Execution execution = executions.insert("examples.deploy_approval", Json.object(), null);
        jdbc.sql("UPDATE attune.execution SET status = 'running' WHERE id = ?").param(execution.id()).update();
        Inquiry inquiry = transactions.execute(tx -> inquiryTransitions.open(executions.lock(execution.id())
                        .orElseThrow(), new InquiryRequest("Deploy?", APPROVAL_SCHEMA, null, 3600L, false, List.of(),
                        2, null, null, null), Json.object(), null));
        String responseUrl = slack.url() + "/response/3";

        assertThat(post(FakeSlack.sign(SECRET, FakeSlack.blockActions("U0QADA", "attune_approve", inquiry.id(),
                responseUrl), Instant.now())).status()).isEqualTo(200);
        JsonNode first = Json.tree(slack.take("/response/3", Duration.ofSeconds(10)).body());
        assertThat(first.get("replace_original").asBoolean()).isTrue();
        assertThat(first.toString()).contains("Approved", ada.login(), "more approvals are needed");
        assertThat(first.get("blocks").valueStream().map(b -> b.path("type").asString()))
                .as("the next approver's buttons stay").contains("actions");
        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);

        assertThat(post(FakeSlack.sign(SECRET, FakeSlack.blockActions("U0QBOB", "attune_approve", inquiry.id(),
                responseUrl), Instant.now())).status()).isEqualTo(200);
        JsonNode second = Json.tree(slack.take("/response/3", Duration.ofSeconds(10)).body());
        assertThat(second.toString()).contains("Approved", bob.login()).doesNotContain("more approvals")
                .doesNotContain("\"actions\"");
        Inquiry answered = inquiries.find(inquiry.id()).orElseThrow();
        assertThat(answered.status()).isEqualTo(InquiryStatus.RESPONDED);
        assertThat(answered.quorumAnswers()).extracting(io.attune.model.inquiry.InquiryOutcome.Answer::respondedBy)
                .containsExactly(ada.id(), bob.id());
    }

    @Test
    void wrongSignatureOldTimestampUnknownUserAndSomeoneElsesInquiryAreRefused() {
        channel();
        Identity ada = slackUser("U0ADA2");
        slackUser("U0BOB");
        Inquiry inquiry = openInquiry(ada.id());
        String responseUrl = slack.url() + "/response/2";
        String payload = FakeSlack.blockActions("U0ADA2", "attune_approve", inquiry.id(), responseUrl);

        Response forged = post(FakeSlack.sign("not-the-secret", payload, Instant.now()));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.json().get("text").asString()).contains("signature");
        Response old = post(FakeSlack.sign(SECRET, payload, Instant.now().minusSeconds(6 * 60)));
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.json().get("text").asString()).contains("5 minutes");
        // signed for later (a clock far ahead, or a request kept to be replayed then): refused just the same
        assertThat(post(FakeSlack.sign(SECRET, payload, Instant.now().plusSeconds(6 * 60))).status()).isEqualTo(401);
        FakeSlack.SignedRequest good = FakeSlack.sign(SECRET, payload, Instant.now());
        Response tampered = post(new FakeSlack.SignedRequest(good.body().replace("attune_approve", "attune_reject"),
                good.timestamp(), good.signature()));
        assertThat(tampered.status()).isEqualTo(401);
        assertThat(slack.nothingPosted("/response/2", Duration.ofSeconds(1))).isTrue();

        String huge = FakeSlack.blockActions("U0ADA2", "attune_approve", inquiry.id(), responseUrl)
                .replace("\"trigger_id\"", "\"padding\": \"" + "x".repeat(300 * 1024) + "\", \"trigger_id\"");
        Response tooLarge = post(FakeSlack.sign(SECRET, huge, Instant.now()));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);

        Response stranger = post(FakeSlack.sign(SECRET, FakeSlack.blockActions("U0NOBODY", "attune_approve",
                inquiry.id(), responseUrl), Instant.now()));
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(Json.tree(slack.take("/response/2", Duration.ofSeconds(10)).body()).get("text").asString())
                .contains("not linked");

        Response bob = post(FakeSlack.sign(SECRET, FakeSlack.blockActions("U0BOB", "attune_approve",
                inquiry.id(), responseUrl), Instant.now()));
        assertThat(bob.status()).isEqualTo(200);
        assertThat(Json.tree(slack.take("/response/2", Duration.ofSeconds(10)).body()).get("text").asString())
                .contains("Not accepted", "assigned to someone else");
        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
    }
}
