package io.attune.e2e.ui;

import io.attune.e2e.ui.UiSuite.Opened;
import io.attune.e2e.ui.UiSuite.User;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

import static io.attune.e2e.ui.InboxTest.cardWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The inquiry page: context, the generated form, answers right and wrong, cancel, outcome and history. */
class AnswerTest extends SuiteBrowserTest {
    /** Approving needs nothing more; rejecting needs a reason — a rule only the server checks (if/then). */
    static final JsonNode REASON_TO_REJECT = Json.tree("""
            {"type": "object",
             "properties": {
               "approved": {"type": "boolean", "title": "Approve the firewall changes"},
               "review_notes": {"type": "string", "title": "Review notes", "maxLength": 500}},
             "required": ["approved"],
             "if": {"properties": {"approved": {"const": false}}, "required": ["approved"]},
             "then": {"required": ["review_notes"]}}""");

    AnswerTest(UiSuite ui) {
        super(ui);
    }

    @Test
    void answeringTheGeneratedFormTakesTheInquiryOutOfTheInboxAndCompletesTheExecution() {
        User ada = ui.user("ada");
        Opened opened = ui.openInquiry("Approve deployment of billing-api v2.5.0 to production? " + UUID.randomUUID(),
                UiSuite.deploymentSchema(), ada.id(), 1800, UiSuite.deploymentContext());
        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        browser.visible(cardWith(opened.prompt())).findElement(By.cssSelector("a.card-title")).click();

        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), opened.prompt()));
        assertThat(browser.focused().getTagName()).as("focus moves to the new page's heading").isEqualTo("h1");
        WebElement context = browser.visible(By.xpath("//section[h2='Context']"));
        assertThat(context.getText()).contains("DEPLOYMENT PLAN", "billing-api", "rolling",
                "Fix rounding of multi-currency totals (#1432)", "Roll back to the previous version")
                .doesNotContain("__inquiry", "response_schema");
        assertThat(browser.find(By.cssSelector(".facts")).getText()).contains("Pending", "You", "left");

        WebElement approved = field("/approved");
        assertThat(approved.findElement(By.tagName("legend")).getText())
                .isEqualTo("Approve this deployment (required)");
        assertThat(approved.getText()).contains("Yes deploys billing-api v2.5.0 to production; no stops it");
        assertThat(approved.findElements(By.cssSelector("input[type=radio][required]"))).hasSize(2);
        assertThat(approved.findElements(By.cssSelector("input:checked"))).as("no answer is chosen for you").isEmpty();
        WebElement comments = field("/comments").findElement(By.tagName("textarea"));
        assertThat(describedBy(comments)).contains("Anything the team should know about this decision (optional)");

        approved.findElement(By.xpath(".//label[.='Yes']")).click();
        comments.sendKeys("Canary looked healthy for an hour.");
        browser.find(By.xpath("//button[.='Submit answer']")).click();

        assertThat(browser.visible(By.cssSelector("[data-flash]")).getText())
                .isEqualTo("Your answer was recorded. The execution continues with it.");
        WebElement outcome = browser.visible(By.cssSelector(".panel-outcome"));
        assertThat(outcome.getText()).contains("Answered", "By " + ada.login() + " (you)", "Approve this deployment",
                "Yes", "Canary looked healthy for an hour.");
        assertThat(browser.findAll(By.cssSelector("form.answer-form"))).as("read-only now").isEmpty();
        assertThat(browser.find(By.cssSelector(".timeline")).getText()).contains("Created by Attune",
                "Answered by " + ada.login() + " (you)");

        JsonNode inquiry = ui.inquiry(opened.inquiry());
        assertThat(inquiry.path("status").asString()).isEqualTo("responded");
        assertThat(inquiry.path("response")).as("only what was set: no empty rollback_plan")
                .isEqualTo(Json.tree("{\"approved\": true, \"comments\": \"Canary looked healthy for an hour.\"}"));
        JsonNode execution = await().atMost(Browser.ACROSS_SERVICES).pollInterval(Duration.ofMillis(200))
                .until(() -> ui.execution(opened.execution()), e -> e.path("status").asString().equals("completed"));
        assertThat(execution.path("result").path("__inquiry").path("status").asString()).isEqualTo("responded");
        assertThat(execution.path("result").path("__inquiry").path("response").path("approved").asBoolean()).isTrue();
        assertThat(execution.path("result").path("deployment_plan").path("service").asString())
                .isEqualTo("billing-api");

        browser.find(By.cssSelector(".topnav a[href='#/inbox']")).click();
        browser.visible(By.id("inbox-heading"));
        browser.await(driver -> browser.script("return document.querySelector('main').getAttribute('aria-busy')")
                == null);
        assertThat(browser.findAll(cardWith(opened.prompt()))).as("no longer in the pending inbox").isEmpty();
    }

    @Test
    void aSecretIsTypedIntoAPasswordFieldAndShownAsStarsInTheOutcomeTheHistoryAndTheExecution() {
        User ada = ui.user("ada");
        String secret = "Rk7-ui-secret-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode schema = Json.tree("""
                {"type": "object", "required": ["approved"], "properties": {
                   "approved": {"type": "boolean", "title": "Rotate now"},
                   "db_password": {"type": "string", "secret": true, "title": "New database password"},
                   "target": {"type": "object", "title": "Target", "properties": {
                      "host": {"type": "string", "maxLength": 40},
                      "token": {"type": "string", "secret": true, "maxLength": 80}}}}}""");
        Opened opened = ui.openInquiry("Rotate the database password? " + UUID.randomUUID(), schema, ada.id(), 1800,
                null);
        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        browser.get(ui.baseUrl() + "/#/inquiries/" + opened.inquiry());
        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), opened.prompt()));

        WebElement password = field("/db_password").findElement(By.tagName("input"));
        WebElement token = field("/target/token").findElement(By.tagName("input"));
        assertThat(password.getAttribute("type")).isEqualTo("password");
        assertThat(token.getAttribute("type")).isEqualTo("password");
        field("/approved").findElement(By.xpath(".//label[.='Yes']")).click();
        password.sendKeys(secret);
        field("/target/host").findElement(By.tagName("input")).sendKeys("db-1");
        token.sendKeys(secret + "-token");
        browser.find(By.xpath("//button[.='Submit answer']")).click();

        WebElement outcome = browser.visible(By.cssSelector(".panel-outcome"));
        assertThat(outcome.getText()).contains("Answered", "New database password", "********", "db-1")
                .doesNotContain(secret);
        browser.await(driver -> browser.find(By.cssSelector(".timeline")).getText().contains("Answered by"));
        assertThat(browser.find(By.cssSelector(".timeline")).getText()).contains("********").doesNotContain(secret);
        JsonNode execution = await().atMost(Browser.ACROSS_SERVICES).pollInterval(Duration.ofMillis(200))
                .until(() -> ui.execution(opened.execution()), e -> e.path("status").asString().equals("completed"));
        assertThat(execution.path("result").path("__inquiry").path("response").path("db_password").asString())
                .isEqualTo("********");
        browser.get(ui.baseUrl() + "/#/inquiries/" + opened.inquiry());
        browser.visible(By.cssSelector(".panel-outcome"));
        browser.await(driver -> browser.find(By.cssSelector(".timeline")).getText().contains("Answered by"));
        assertThat(browser.driver().getPageSource()).as("nowhere on the page, execution details included")
                .contains("********").doesNotContain(secret);
    }

    @Test
    void aWrongAnswerShowsTheMessageByTheFieldItNamesAndChangesNothing() {
        User ada = ui.user("ada");
        Opened opened = ui.openInquiry("High-impact firewall changes detected. Approve? " + UUID.randomUUID(),
                REASON_TO_REJECT, ada.id(), 1800, UiSuite.resource("firewall-context.json"));
        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        browser.get(ui.baseUrl() + "/#/inquiries/" + opened.inquiry());
        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), opened.prompt()));
        WebElement submit = browser.find(By.xpath("//button[.='Submit answer']"));

        // the form's own check: a required yes/no must be a deliberate choice
        submit.click();
        assertThat(errorOf("/approved")).isEqualTo("Error: Choose Yes or No");
        assertThat(browser.focused().getAttribute("class")).isEqualTo("error-summary");
        assertThat(field("/approved").findElements(By.cssSelector("[aria-invalid=true]"))).hasSize(2);

        // the server's check: rejecting needs review notes (if/then), a rule the form leaves to the server
        field("/approved").findElement(By.xpath(".//label[.='No']")).click();
        submit.click();
        browser.await(driver -> errorOf("/review_notes").contains("required property 'review_notes' not found"));
        assertThat(browser.find(By.cssSelector(".error-summary")).getText())
                .contains("The answer was not accepted", "Review notes: required property 'review_notes' not found");
        WebElement notes = field("/review_notes").findElement(By.tagName("textarea"));
        assertThat(notes.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(describedBy(notes)).contains("required property 'review_notes' not found");
        assertThat(errorOf("/approved")).as("the earlier error is cleared").isEmpty();
        assertThat(ui.inquiry(opened.inquiry()).path("status").asString()).isEqualTo("pending");

        notes.sendKeys("SSH from anywhere is not acceptable; use the bastion.");
        submit.click();
        browser.visible(By.cssSelector(".panel-outcome"));
        assertThat(ui.inquiry(opened.inquiry()).path("response")).isEqualTo(Json.tree(
                "{\"approved\": false, \"review_notes\": \"SSH from anywhere is not acceptable; use the bastion.\"}"));
    }

    @Test
    void theFormCanBeAnsweredWithTheKeyboardAlone() {
        User ada = ui.user("ada");
        Opened opened = ui.openInquiry("Keyboard only " + UUID.randomUUID(), UiSuite.deploymentSchema(), ada.id(),
                1800, UiSuite.deploymentContext());
        browser.get(ui.baseUrl() + "/#/inquiries/" + opened.inquiry());
        WebElement login = browser.visible(By.id("login"));
        assertThat(browser.focused()).isEqualTo(login);
        login.sendKeys(ada.login(), Keys.TAB);
        browser.focused().sendKeys(ada.password(), Keys.ENTER);
        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), opened.prompt()));
        browser.await(driver -> "h1".equals(browser.focused().getTagName()));

        tabUntil(element -> "radio".equals(element.getAttribute("type")));
        assertThat(browser.focused().getAttribute("value")).isEqualTo("true");
        browser.focused().sendKeys(Keys.SPACE);
        tabUntil(element -> "textarea".equals(element.getTagName()));
        browser.focused().sendKeys("Approved from the keyboard.", Keys.chord(Keys.CONTROL, Keys.ENTER));

        browser.visible(By.cssSelector(".panel-outcome"));
        assertThat(ui.inquiry(opened.inquiry()).path("response").path("approved").asBoolean()).isTrue();
    }

    @Test
    void anAdminCancelsAfterConfirmingAndTheInquiryShowsWhoCancelledIt() {
        User ada = ui.user("ada");
        Opened opened = ui.openInquiry("To be cancelled " + UUID.randomUUID(), UiSuite.deploymentSchema(), ada.id(),
                1800, UiSuite.deploymentContext());

        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        browser.get(ui.baseUrl() + "/#/inquiries/" + opened.inquiry());
        browser.visible(By.cssSelector("form.answer-form"));
        assertThat(browser.findAll(By.xpath("//button[.='Cancel inquiry…']"))).as("only admins cancel").isEmpty();
        browser.find(By.xpath("//button[normalize-space()='Sign out']")).click();

        User admin = ui.admin();
        browser.signIn(ui.baseUrl(), admin.login(), admin.password());
        browser.get(ui.baseUrl() + "/#/inquiries/" + opened.inquiry());
        WebElement panel = browser.visible(By.cssSelector(".panel-answer"));
        assertThat(panel.getText())
                .contains("This inquiry is assigned to user #" + ada.id() + "; only they can answer it.");
        assertThat(panel.findElements(By.cssSelector("form.answer-form"))).isEmpty();

        browser.find(By.xpath("//button[.='Cancel inquiry…']")).click();
        WebElement dialog = browser.visible(By.cssSelector("dialog[open]"));
        assertThat(dialog.getText()).contains("Cancel this inquiry?", "execution #" + opened.execution());
        dialog.findElement(By.xpath(".//button[.='Keep it']")).click();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog[open]")));
        assertThat(ui.inquiry(opened.inquiry()).path("status").asString()).isEqualTo("pending");

        browser.find(By.xpath("//button[.='Cancel inquiry…']")).click();
        browser.visible(By.cssSelector("dialog[open]")).findElement(By.xpath(".//button[.='Cancel inquiry']")).click();
        assertThat(browser.visible(By.cssSelector("[data-flash]")).getText())
                .isEqualTo("Inquiry cancelled. Execution #" + opened.execution() + " was cancelled too.");
        assertThat(browser.visible(By.cssSelector(".panel-outcome")).getText()).contains("Cancelled", "By admin");
        assertThat(browser.find(By.cssSelector(".timeline")).getText()).contains("Cancelled by admin (you)");
        await().atMost(Browser.ACROSS_SERVICES).until(
                () -> ui.execution(opened.execution()).path("status").asString(), "cancelled"::equals);
    }

    @Test
    void anInquiryThatTimesOutWhileOpenTurnsReadOnlyWithItsOutcome() {
        User ada = ui.user("ada");
        Opened opened = ui.openInquiry("Times out soon " + UUID.randomUUID(), UiSuite.deploymentSchema(), ada.id(), 3,
                null);
        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        browser.get(ui.baseUrl() + "/#/inquiries/" + opened.inquiry());
        WebElement outcome = browser.awaitAcrossServices(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".panel-outcome")));
        assertThat(outcome.getText()).contains("Timed out", "Nobody answered before",
                "Execution #" + opened.execution() + " timed out.");
        assertThat(browser.findAll(By.cssSelector("form.answer-form"))).isEmpty();
        assertThat(browser.find(By.cssSelector(".facts")).getText()).contains("Timed out");
    }

    private WebElement field(String path) {
        return browser.visible(By.cssSelector("[data-path='" + path + "']"));
    }

    private String errorOf(String path) {
        WebElement error = field(path).findElement(By.cssSelector(".field-error"));
        return error.isDisplayed() ? error.getText() : "";
    }

    /** The text of the elements that describe an input (its help and its error), as a screen reader hears them. */
    private String describedBy(WebElement input) {
        return (String) browser.script("""
                return (arguments[0].getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
                    .map(id => document.getElementById(id).textContent).join(' ');""", input);
    }

    private void tabUntil(Predicate<WebElement> wanted) {
        for (int presses = 0; presses < 60; presses++) {
            browser.focused().sendKeys(Keys.TAB);
            if (wanted.test(browser.focused())) {
                return;
            }
        }
        throw new AssertionError("Tab never reached the wanted control; last focused: "
                + browser.focused().getAttribute("outerHTML"));
    }
}
