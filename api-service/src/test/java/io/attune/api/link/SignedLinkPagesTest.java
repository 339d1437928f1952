package io.attune.api.link;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.execution.Execution;
import io.attune.core.identity.Actor;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.core.link.SignedLinks;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** /a/{token} over real HTTP: the page changes nothing, the form answers once, every refusal is a clear page. */
class SignedLinkPagesTest extends ApiIntegrationTest {
    static final JsonNode SCHEMA = Json.tree("""
            {"type": "object", "required": ["approved"], "properties": {
              "approved": {"type": "boolean", "title": "Approve <b>it</b>?"},
              "comments": {"type": "string", "maxLength": 50},
              "level": {"enum": ["low", "high"]},
              "db": {"type": "object", "properties": {"password": {"type": "string", "secret": true},
                                                        "replicas": {"type": "integer"}}}}}""");

    @Autowired
    SignedLinks links;
    @Autowired
    InquiryRepository inquiries;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    Inquiry hostileInquiry(Long assignedTo) {
        Execution execution = executions.insert("examples.deploy_approval", Json.tree("{}"), null);
        JsonNode result = Json.tree("{\"plan\": {\"note\": \"<script>alert(1)</script>\"}, \"__inquiry\": {}}");
        return transactions.execute(tx -> inquiryTransitions.open(executions.lock(execution.id()).orElseThrow(),
                new InquiryRequest("Deploy \"<img src=x onerror=alert(1)>\"?", SCHEMA, assignedTo, 3600L), result,
                null));
    }

    Response send(String method, String url, String contentType, String body, String userAgent) {
        String path = URI.create(url).getPath();
        HttpRequest.Builder request = api().request(path, null)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (userAgent != null) {
            request.header("User-Agent", userAgent);
        }
        return api().send(request.build());
    }

    static String form(String... pairs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            out.append(out.isEmpty() ? "" : "&").append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    @Test
    void thePageChangesNothingTheFormAnswersOnceAndEverythingIsEscaped() {
        Identity ada = identity();
        Inquiry inquiry = hostileInquiry(ada.id());
        String url = links.respondLink(inquiry.id(), ada.id());

        for (String agent : new String[]{"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", null}) {
            Response page = send("GET", url, null, null, agent);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(page.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
            assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
            assertThat(page.body()).contains("&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;",
                            "Approve &lt;b&gt;it&lt;/b&gt;?", "name=\"viewport\"", "type=\"password\"", "name=\"/db/password\"")
                    .doesNotContain("<script>", "<img src=x");
        }
        Response head = send("HEAD", url, null, null, "facebookexternalhit/1.1");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(inquiryNow(inquiry).status()).isEqualTo(InquiryStatus.PENDING);
        assertThat(jdbc.sql("SELECT used_at IS NULL FROM attune.signed_link WHERE inquiry = ?").param(inquiry.id())
                .query(Boolean.class).single()).isTrue();

        // a schema error shows the page again with the error at its field; the link still works
        Response refused = send("POST", url, "application/x-www-form-urlencoded",
                form("/comments", "x".repeat(60), "/db/password", "hunter2-secret", "/db/replicas", "three"), null);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("aria-invalid=\"true\"", "/approved", "/db/replicas")
                .doesNotContain("hunter2-secret");
        assertThat(jdbc.sql("SELECT used_at IS NULL FROM attune.signed_link WHERE inquiry = ?").param(inquiry.id())
                .query(Boolean.class).single()).isTrue();

        Response answered = send("POST", url, "application/x-www-form-urlencoded",
                form("/approved", "0", "/comments", "LGTM", "/level", "1", "/db/password", "hunter2-secret",
                        "/db/replicas", "3"), null);
        assertThat(answered.status()).as("%s", answered).isEqualTo(200);
        assertThat(answered.body()).contains("your answer was recorded", "LGTM", "********").doesNotContain("hunter2");
        Inquiry done = inquiryNow(inquiry);
        assertThat(done.status()).isEqualTo(InquiryStatus.RESPONDED);
        assertThat(done.respondedBy()).isEqualTo(ada.id());
        assertThat(done.response()).isEqualTo(Json.tree("""
                {"approved": true, "comments": "LGTM", "level": "high",
                 "db": {"password": "hunter2-secret", "replicas": 3}}"""));

        Response again = send("GET", url, null, null, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("already been used").doesNotContain("Exception");
        Response postAgain = send("POST", url, "application/x-www-form-urlencoded", form("/approved", "1"), null);
        assertThat(postAgain.status()).isEqualTo(409);
    }

    @Test
    void jsonAnswersAndRefusals() {
        Identity ada = identity();
        Identity bob = identity();
        Inquiry inquiry = openInquiry(ada.id());

        String bobs = links.respondLink(inquiry.id(), bob.id());
        Response notBobs = send("GET", bobs, null, null, null);
        assertThat(notBobs.status()).isEqualTo(403);
        assertThat(notBobs.body()).contains("cannot answer").doesNotContain("Approve deployment");
        assertError(send("POST", bobs, "application/json", "{\"response\": {\"approved\": true}}", null), 403,
                "FORBIDDEN");

        String unknown = links.publicUrl() + "/a/" + "x".repeat(43);
        assertThat(send("GET", unknown, null, null, null).status()).isEqualTo(404);
        assertError(send("POST", unknown, "application/json", "{\"response\": {}}", null), 404, "NOT_FOUND");
        assertThat(send("GET", links.publicUrl() + "/a/short", null, null, null).body()).contains("Link not found");

        String adas = links.respondLink(inquiry.id(), ada.id());
        assertError(send("POST", adas, "application/json", "{\"response\": {\"approved\": \"yes\"}}", null), 422,
                "VALIDATION_ERROR");
        Response ok = send("POST", adas, "application/json", "{\"response\": {\"approved\": false}}", null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.data().get("responded_by").asLong()).isEqualTo(ada.id());
        assertError(send("POST", adas, "application/json", "{\"response\": {\"approved\": false}}", null), 409,
                "CONFLICT");

        // a second link of the same person for the decided inquiry
        String late = links.respondLink(inquiry.id(), ada.id());
        assertThat(send("GET", late, null, null, null).body()).contains("closed", "already been answered");

        Inquiry cancelled = openInquiry(ada.id());
        String link = links.respondLink(cancelled.id(), ada.id());
        inquiryTransitions.cancel(cancelled.id(), Actor.SYSTEM, null);
        Response closed = send("GET", link, null, null, null);
        assertThat(closed.status()).isEqualTo(409);
        assertThat(closed.body()).contains("was cancelled");

        Inquiry open = openInquiry(null);
        String disabled = links.respondLink(open.id(), bob.id());
        jdbc.sql("UPDATE attune.identity SET disabled = true WHERE id = ?").param(bob.id()).update();
        assertThat(send("GET", disabled, null, null, null).status()).isEqualTo(403);
    }

    Inquiry inquiryNow(Inquiry inquiry) {
        return inquiries.find(inquiry.id()).orElseThrow();
    }
}
