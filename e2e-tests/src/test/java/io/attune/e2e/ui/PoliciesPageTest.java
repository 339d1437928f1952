package io.attune.e2e.ui;

import io.attune.e2e.ui.UiSuite.Opened;
import io.attune.e2e.ui.UiSuite.User;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inquiry page with the policies of docs/policies.md: a quorum's progress, a defaulted inquiry's badge, an
 * escalation and a reminder in the history.
 */
class PoliciesPageTest extends SuiteBrowserTest {
    static final String SCHEMA = """
            {"type": "object", "required": ["approved"], "properties": {
               "approved": {"type": "boolean", "title": "Approve"}, "comments": {"type": "string"}}}""";

    PoliciesPageTest(UiSuite ui) {
        super(ui);
    }

    @Test
    void aQuorumShowsWhoApprovedAndHowManyAreStillNeeded() {
        User ada = ui.user("ada");
        User bob = ui.user("bob");
        String prompt = "Fail over the primary database? " + UUID.randomUUID();
        Opened opened = ui.openRequest(Json.tree("""
                {"prompt": "%s", "response_schema": %s, "timeout_seconds": 1800,
                 "approvals_required": 2, "decision_field": "/approved"}""".formatted(prompt, SCHEMA)));
        ui.running().call("POST", "/api/v1/inquiries/" + opened.inquiry() + "/respond", ui.token(ada),
                "{\"response\": {\"approved\": true}}");

        browser.signIn(ui.baseUrl(), bob.login(), bob.password());
        browser.get(ui.baseUrl() + "/#/inquiries/" + opened.inquiry());
        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), prompt));
        WebElement quorum = browser.visible(By.cssSelector("[data-quorum]"));
        assertThat(quorum.getText()).contains("Approvals: 1 of 2", ada.login(), "approved", "1 more approval needed");
        assertThat(browser.find(By.cssSelector(".timeline")).getText()).contains("Approval 1 of 2; still pending");

        WebElement approved = browser.find(By.cssSelector("[data-path='/approved']"));
        approved.findElement(By.xpath(".//label[.='Yes']")).click();
        browser.find(By.xpath("//button[.='Submit answer']")).click();
        browser.visible(By.cssSelector(".panel-outcome"));
        browser.await(driver -> browser.find(By.cssSelector("[data-quorum]")).getText().contains("Approvals: 2 of 2"));
        assertThat(browser.find(By.cssSelector("[data-quorum]")).getText()).contains(ada.login(), bob.login() + " (you)")
                .doesNotContain("needed");
    }

    @Test
    void anInquiryThatWentOnWithItsDefaultShowsADefaultedBadge() {
        User ada = ui.user("ada");
        String prompt = "Import with anomalies? " + UUID.randomUUID();
        Opened opened = ui.openRequest(Json.tree("""
                {"prompt": "%s", "response_schema": %s, "timeout_seconds": 1,
                 "on_timeout": {"response": {"approved": false, "comments": "nobody decided"}}}"""
                .formatted(prompt, SCHEMA)));
        await().atMost(Browser.ACROSS_SERVICES).pollInterval(Duration.ofMillis(200))
                .until(() -> ui.execution(opened.execution()), e -> e.path("status").asString().equals("completed"));

        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        browser.get(ui.baseUrl() + "/#/inquiries/" + opened.inquiry());
        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), prompt));
        assertThat(browser.visible(By.cssSelector("[data-defaulted]")).getText()).isEqualTo("Defaulted");
        assertThat(browser.visible(By.cssSelector(".panel-outcome")).getText())
                .contains("Timed out: default answer used", "nobody decided");
        assertThat(browser.find(By.cssSelector(".timeline")).getText())
                .contains("the execution went on with the default answer");
    }

    @Test
    void theHistoryTellsOfAnEscalationAndAReminder() throws Exception {
        User ada = ui.user("ada");
        User cyd = ui.user("cyd");
        String oncall = ui.group(ada);
        String prompt = "Rotate the TLS certificates? " + UUID.randomUUID();
        Opened opened = ui.openRequest(Json.tree("""
                {"prompt": "%s", "response_schema": %s, "timeout_seconds": 1800, "remind_every_seconds": 60,
                 "assigned_to": {"group": "%s"},
                 "escalation": [{"after_seconds": 3600, "assign_to": {"user": %d}}]}"""
                .formatted(prompt, SCHEMA, oncall, cyd.id())));
        // the least periods are a minute and more: bring the escalation and the first reminder forward
        try (var due = ui.running().database().prepareStatement(
                "UPDATE attune.inquiry SET escalate_at = now(), next_reminder_at = now() WHERE id = ?")) {
            due.setLong(1, opened.inquiry());
            assertThat(due.executeUpdate()).isEqualTo(1);
        }
        await().atMost(Browser.ACROSS_SERVICES).pollInterval(Duration.ofMillis(200))
                .until(() -> ui.running().call("GET", "/api/v1/inquiries/" + opened.inquiry() + "/history",
                        ui.token(ui.admin()), null).path("data").toString(),
                        history -> history.contains("\"escalated\"") && history.contains("\"reminder\""));

        browser.signIn(ui.baseUrl(), cyd.login(), cyd.password());
        browser.get(ui.baseUrl() + "/#/inquiries/" + opened.inquiry());
        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), prompt));
        String history = browser.visible(By.cssSelector(".timeline")).getText();
        assertThat(history).contains("Escalated", "Step 1: assigned to you (was group " + oncall + ")",
                "Reminder", "Reminder #1: still waiting for an answer.");
    }
}
