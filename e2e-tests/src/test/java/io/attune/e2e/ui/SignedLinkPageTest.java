package io.attune.e2e.ui;

import io.attune.e2e.ui.UiSuite.Opened;
import io.attune.e2e.ui.UiSuite.User;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signed links, {@code /a/<token>}, in a real browser on a phone-sized window, against the built jars: the page and
 * a link preview bot's GET and HEAD change nothing; the form answers without signing in and the execution resumes;
 * a second use, another identity's link, a timed-out and an answered inquiry each get a clear page.
 */
class SignedLinkPageTest extends SuiteBrowserTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final JsonNode SCHEMA = Json.tree("""
            {"type": "object", "required": ["approved"], "properties": {
              "approved": {"type": "boolean", "title": "Approve this deployment"},
              "canary_percent": {"type": "integer", "minimum": 1, "maximum": 100, "title": "Canary size (%)"},
              "comments": {"type": "string", "title": "Comments"},
              "api_key": {"type": "string", "secret": true, "title": "Deploy key"}}}""");

    SignedLinkPageTest(UiSuite ui) {
        super(ui);
    }

    /**
     * A respond link as the channel engine mints it (io.attune.core.link.SignedLinks): 256 random bits, only its
     * SHA-256 stored; the link is the api's URL + /a/ + the token.
     */
    String link(long inquiry, long identity) throws Exception {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        try (Connection db = ui.running().environment().database().connect();
             PreparedStatement insert = db.prepareStatement(
                     "INSERT INTO attune.signed_link (token_hash, inquiry, identity_id) VALUES (?, ?, ?)")) {
            insert.setBytes(1, hash);
            insert.setLong(2, inquiry);
            insert.setLong(3, identity);
            insert.executeUpdate();
        }
        return ui.baseUrl() + "/a/" + token;
    }

    static HttpResponse<String> fetch(String method, String url, String userAgent) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", userAgent).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageChangesNothingTheFormAnswersAndTheExecutionResumes() throws Exception {
        User ada = ui.user("ada", "Ada Lovelace");
        Opened opened = ui.openInquiry("Deploy billing-api v2.5.0? " + UUID.randomUUID(), SCHEMA, ada.id(), 1800,
                UiSuite.deploymentContext());
        String url = link(opened.inquiry(), ada.id());

        // link scanners and chat previews: GET and HEAD, bot user agents
        for (String agent : new String[]{"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
                "Mozilla/5.0 (compatible; Microsoft Office/16.0; SafeLinks)", "TelegramBot (like TwitterBot)"}) {
            HttpResponse<String> preview = fetch("GET", url, agent);
            assertThat(preview.statusCode()).isEqualTo(200);
            assertThat(preview.body()).contains(opened.prompt());
            assertThat(preview.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
            assertThat(preview.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
            assertThat(fetch("HEAD", url, agent).statusCode()).isEqualTo(200);
        }
        browser.resize(390, 844);
        browser.get(url);
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo(opened.prompt());
        assertThat(browser.find(By.cssSelector(".meta")).getText()).contains("Ada Lovelace", "left");
        assertThat(browser.find(By.xpath("//section[h2='Context']")).getText())
                .contains("Deployment plan", "billing-api", "Fix rounding of multi-currency totals (#1432)")
                .doesNotContain("__inquiry");
        assertThat(ui.inquiry(opened.inquiry()).path("status").asString()).as("opening changed nothing")
                .isEqualTo("pending");
        assertThat((Long) browser.script("return document.documentElement.scrollWidth"))
                .as("no sideways scrolling on a phone").isLessThanOrEqualTo(390L);
        assertThat(browser.find(By.name("/api_key")).getAttribute("type")).isEqualTo("password");
        assertThat(browser.findAll(By.cssSelector("input[name='/approved'][required]"))).hasSize(2);

        // a wrong number: the page comes back with the error at its field, what was typed kept
        browser.find(By.xpath("//label[normalize-space(.)='Yes']")).click();
        browser.find(By.name("/canary_percent")).sendKeys("250");
        browser.find(By.name("/comments")).sendKeys("Canary first.");
        browser.find(By.name("/api_key")).sendKeys("dk-" + UUID.randomUUID());
        browser.find(By.xpath("//button[.='Submit answer']")).click();
        // the answer is a form post: wait for the page that comes back, not the one that was there
        browser.visible(By.cssSelector(".error-summary"));
        WebElement canary = browser.visible(By.name("/canary_percent"));
        assertThat(canary.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.find(By.cssSelector(".error-summary")).getText()).contains("/canary_percent");
        assertThat(browser.find(By.name("/comments")).getAttribute("value")).isEqualTo("Canary first.");
        assertThat(browser.find(By.name("/api_key")).getAttribute("value")).as("a secret is typed again").isEmpty();
        assertThat(ui.inquiry(opened.inquiry()).path("status").asString()).isEqualTo("pending");

        canary.clear();
        canary.sendKeys("25");
        browser.find(By.name("/api_key")).sendKeys("dk-secret-value");
        browser.find(By.xpath("//button[.='Submit answer']")).click();
        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), "Thank you: your answer was recorded"));
        assertThat(browser.find(By.tagName("main")).getText()).contains("Canary first.", "********")
                .doesNotContain("dk-secret-value");

        JsonNode inquiry = ui.inquiry(opened.inquiry());
        assertThat(inquiry.path("status").asString()).isEqualTo("responded");
        assertThat(inquiry.path("responded_by").asLong()).isEqualTo(ada.id());
        JsonNode execution = await().atMost(Browser.ACROSS_SERVICES).pollInterval(Duration.ofMillis(200))
                .until(() -> ui.execution(opened.execution()), e -> e.path("status").asString().equals("completed"));
        assertThat(execution.path("result").path("__inquiry").path("response").path("canary_percent").asInt())
                .isEqualTo(25);

        // a second use
        browser.get(url);
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("This link has already been used");
        assertThat(fetch("GET", url, "curl/8").statusCode()).isEqualTo(409);
        assertThat(browser.findAll(By.tagName("form"))).isEmpty();
    }

    @Test
    void anotherIdentitysLinkATimedOutAndAnAnsweredInquiryGetAClearPage() throws Exception {
        User ada = ui.user("ada");
        User bob = ui.user("bob");
        Opened adas = ui.openInquiry("Rotate the keys of db-7? " + UUID.randomUUID(), SCHEMA, ada.id(), 1800, null);

        browser.get(link(adas.inquiry(), bob.id()));
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("This link cannot answer this inquiry");
        assertThat(browser.find(By.tagName("main")).getText()).contains(bob.login()).doesNotContain(adas.prompt());
        assertThat(browser.findAll(By.tagName("form"))).isEmpty();

        Opened brief = ui.openInquiry("Quick one? " + UUID.randomUUID(), SCHEMA, ada.id(), 2, null);
        String expiring = link(brief.inquiry(), ada.id());
        Thread.sleep(2500);
        browser.get(expiring);
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("This inquiry is closed");
        assertThat(browser.find(By.tagName("main")).getText()).contains("timed out");
        assertThat(fetch("GET", expiring, "curl/8").statusCode()).isEqualTo(409);

        String adasLink = link(adas.inquiry(), ada.id());
        ui.running().call("POST", "/api/v1/inquiries/" + adas.inquiry() + "/respond", ui.token(ada),
                "{\"response\": {\"approved\": false}}");
        browser.get(adasLink);
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("This inquiry is closed");
        assertThat(browser.find(By.tagName("main")).getText()).contains("already been answered");

        browser.get(ui.baseUrl() + "/a/" + "Q".repeat(43));
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Link not found");
        assertThat(fetch("GET", ui.baseUrl() + "/a/nonsense", "curl/8").statusCode()).isEqualTo(404);
    }
}
