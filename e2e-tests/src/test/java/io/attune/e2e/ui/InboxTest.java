package io.attune.e2e.ui;

import io.attune.e2e.ui.UiSuite.Opened;
import io.attune.e2e.ui.UiSuite.User;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Signing in and out, and the inbox: live, filtered, and only what the user may see. */
class InboxTest extends SuiteBrowserTest {
    InboxTest(UiSuite ui) {
        super(ui);
    }

    @Test
    void signingInKeepsTheTokenForTheSessionAndSigningOutForgetsIt() {
        User ada = ui.user("ada", "Ada Lovelace");
        browser.get(ui.baseUrl() + "/");
        browser.visible(By.id("login")).sendKeys(ada.login());
        browser.find(By.id("password")).sendKeys("not her password\n");
        assertThat(browser.visible(By.cssSelector(".signin-form .alert-error")).getText())
                .isEqualTo("The login or password is not right.");

        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        assertThat(browser.find(By.cssSelector(".user-name")).getText()).startsWith("Ada Lovelace");
        assertThat(sessionToken()).isNotBlank();

        browser.driver().navigate().refresh();
        browser.visible(By.id("inbox-heading"));
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/inbox");

        browser.find(By.xpath("//button[normalize-space()='Sign out']")).click();
        assertThat(browser.visible(By.cssSelector(".signin-card .alert-info")).getText())
                .isEqualTo("You have signed out.");
        assertThat(sessionToken()).isNull();
        browser.get(ui.baseUrl() + "/#/inbox");
        browser.visible(By.id("login"));
    }

    @Test
    void aDeepLinkLeadsThroughSignInToWhereItPointed() {
        User ada = ui.user("ada");
        Opened opened = ui.openInquiry("Deep link " + UUID.randomUUID(), UiSuite.deploymentSchema(), ada.id(), 600,
                null);
        browser.get(ui.baseUrl() + "/#/inquiries/" + opened.inquiry());
        browser.visible(By.id("login")).sendKeys(ada.login());
        browser.find(By.id("password")).sendKeys(ada.password() + "\n");
        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), opened.prompt()));
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/inquiries/" + opened.inquiry());
    }

    @Test
    void aRefusedTokenSendsThePersonToSignInAndBackToWhereTheyWere() {
        User ada = ui.user("ada");
        Opened opened = ui.openInquiry("Session ends " + UUID.randomUUID(), UiSuite.deploymentSchema(), ada.id(), 600,
                null);
        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        browser.find(By.cssSelector("label[for='status-all']")).click();
        browser.visible(cardWith(opened.prompt()));
        // as if the token had expired or the secret had changed: the API answers 401
        browser.script("""
                const session = JSON.parse(sessionStorage.getItem('attune.session'));
                session.token = 'no.longer.valid';
                sessionStorage.setItem('attune.session', JSON.stringify(session));""");
        browser.find(By.xpath("//button[.='Refresh']")).click();

        assertThat(browser.visible(By.cssSelector(".signin-card .alert-info")).getText())
                .isEqualTo("Your session has ended. Sign in again to continue.");
        browser.find(By.id("login")).sendKeys(ada.login());
        browser.find(By.id("password")).sendKeys(ada.password() + "\n");
        browser.visible(cardWith(opened.prompt()));
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/inbox?status=all");
    }

    @Test
    void anExecutionCompletedOnTheBrokerMakesItsInquiryAppearInTheOpenInboxWithoutAReload() {
        User ada = ui.user("ada");
        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        awaitLive();
        markDocument();

        String prompt = "Approve deployment of billing-api " + UUID.randomUUID() + " to production?";
        long execution = ui.requestExecution();
        ui.publishCompletion(execution, prompt, UiSuite.deploymentSchema(), ada.id(), 1800,
                UiSuite.deploymentContext());

        WebElement card = browser.awaitAcrossServices(ExpectedConditions.visibilityOfElementLocated(cardWith(prompt)));
        assertThat(sameDocument()).as("the page was not reloaded").isTrue();
        assertThat(browser.findAll(By.cssSelector(".inquiry-card")).get(0)).as("newest first").isEqualTo(card);
        assertThat(card.getText()).contains("Assigned to you", "Execution #" + execution, "Pending");
        assertThat(card.findElement(By.cssSelector("time.countdown")).getText()).matches("\\d+m \\d\\ds left");
        browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("announcer"), "New inquiry: " + prompt));

        String before = card.findElement(By.cssSelector("time.countdown")).getText();
        browser.await(driver -> !card.findElement(By.cssSelector("time.countdown")).getText().equals(before));
    }

    @Test
    void anInquiryAnsweredOrCancelledElsewhereLeavesTheOpenInbox() {
        User ada = ui.user("ada");
        Opened answered = ui.openInquiry("Answered elsewhere " + UUID.randomUUID(), UiSuite.deploymentSchema(),
                ada.id(), 600, null);
        Opened cancelled = ui.openInquiry("Cancelled elsewhere " + UUID.randomUUID(), UiSuite.deploymentSchema(),
                ada.id(), 600, null);
        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        browser.visible(cardWith(answered.prompt()));
        browser.visible(cardWith(cancelled.prompt()));
        awaitLive();
        markDocument();

        ui.running().call("POST", "/api/v1/inquiries/" + answered.inquiry() + "/respond", ui.token(ada),
                "{\"response\": {\"approved\": true}}");
        browser.awaitAcrossServices(ExpectedConditions.invisibilityOfElementLocated(cardWith(answered.prompt())));
        ui.running().call("POST", "/api/v1/inquiries/" + cancelled.inquiry() + "/cancel",
                ui.running().adminToken(), null);
        browser.awaitAcrossServices(ExpectedConditions.invisibilityOfElementLocated(cardWith(cancelled.prompt())));
        assertThat(sameDocument()).as("the page was not reloaded").isTrue();

        browser.find(By.cssSelector("label[for='status-responded']")).click();
        WebElement card = browser.visible(cardWith(answered.prompt()));
        assertThat(card.getText()).contains("Answered");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/inbox?status=responded");
        browser.find(By.cssSelector("label[for='status-cancelled']")).click();
        assertThat(browser.visible(cardWith(cancelled.prompt())).getText()).contains("Cancelled");
    }

    @Test
    void theStatusAndAssignedToMeFiltersNarrowTheListAndSurviveAReload() {
        User ada = ui.user("ada");
        String oncall = ui.group(ada);
        JsonNode toOncall = Json.tree("{\"group\": \"" + oncall + "\"}");
        Opened mine = ui.openInquiry("For Ada " + UUID.randomUUID(), UiSuite.deploymentSchema(), ada.id(), 600, null);
        Opened ours = ui.openInquiry("For Ada's group " + UUID.randomUUID(), UiSuite.deploymentSchema(), toOncall, 600);
        Opened anyones = ui.openInquiry("For anyone " + UUID.randomUUID(), UiSuite.deploymentSchema(), null, 600, null);
        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        browser.visible(cardWith(mine.prompt()));
        assertThat(browser.visible(cardWith(anyones.prompt())).getText()).contains("Anyone may answer");

        browser.find(By.cssSelector("label[for='filter-mine']")).click();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(cardWith(anyones.prompt())));
        assertThat(browser.visible(cardWith(mine.prompt())).getText()).contains("Assigned to you");
        // assigned to a group she is a member of is assigned to her
        assertThat(browser.visible(cardWith(ours.prompt())).getText()).contains("Assigned to group " + oncall);
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/inbox?mine=1");
        // and one asked of the group now arrives without a reload
        Opened later = ui.openInquiry("Later for the group " + UUID.randomUUID(), UiSuite.deploymentSchema(),
                toOncall, 600);
        browser.visible(cardWith(later.prompt()));

        browser.driver().navigate().refresh();
        browser.visible(cardWith(mine.prompt()));
        browser.visible(cardWith(ours.prompt()));
        assertThat(browser.find(By.id("filter-mine")).isSelected()).isTrue();
        assertThat(browser.findAll(cardWith(anyones.prompt()))).isEmpty();
        assertThat(browser.findAll(By.cssSelector(".inquiry-card"))).allSatisfy(
                card -> assertThat(card.getText()).containsAnyOf("Assigned to you", "Assigned to group " + oncall));
    }

    @Test
    void anotherUserNeverSeesItInTheirInboxAndItsLinkSaysNotFound() {
        User ada = ui.user("ada");
        User bob = ui.user("bob");
        browser.signIn(ui.baseUrl(), bob.login(), bob.password());
        browser.find(By.cssSelector("label[for='status-all']")).click();
        awaitLive();

        Opened adas = ui.openInquiry("Only for Ada " + UUID.randomUUID(), UiSuite.deploymentSchema(), ada.id(), 600,
                null);
        // published after Ada's: once Bob sees this one live, he would have seen Ada's before it
        Opened anyones = ui.openInquiry("For anyone " + UUID.randomUUID(), UiSuite.deploymentSchema(), null, 600,
                null);
        browser.awaitAcrossServices(ExpectedConditions.visibilityOfElementLocated(cardWith(anyones.prompt())));
        assertThat(browser.findAll(cardWith(adas.prompt()))).isEmpty();

        browser.driver().navigate().refresh();
        browser.visible(cardWith(anyones.prompt()));
        assertThat(browser.findAll(cardWith(adas.prompt()))).isEmpty();

        browser.get(ui.baseUrl() + "/#/inquiries/" + adas.inquiry());
        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), "Inquiry not found"));
        assertThat(browser.find(By.tagName("main")).getText()).doesNotContain(adas.prompt());
        assertThat(browser.find(By.cssSelector(".not-found a[href='#/inbox']")).isDisplayed()).isTrue();
    }

    @Test
    void theInboxReadsWellOnAPhone() {
        User ada = ui.user("ada");
        ui.openInquiry("A long prompt that has to wrap on a narrow screen: approve the deployment of billing-api "
                + UUID.randomUUID() + " to production?", UiSuite.deploymentSchema(), ada.id(), 600, null);
        browser.resize(390, 844);
        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        browser.visible(By.cssSelector(".inquiry-card"));
        assertNoSidewaysScrolling();
        List<WebElement> segments = browser.findAll(By.cssSelector(".segment label"));
        assertThat(segments).allSatisfy(segment -> assertThat(segment.isDisplayed()).isTrue());
    }

    private void assertNoSidewaysScrolling() {
        @SuppressWarnings("unchecked")
        Map<String, Object> sizes = (Map<String, Object>) browser.script(
                "return {page: document.documentElement.scrollWidth, window: window.innerWidth}");
        assertThat(((Number) sizes.get("page")).intValue()).as("page width on a phone")
                .isLessThanOrEqualTo(((Number) sizes.get("window")).intValue());
    }

    static By cardWith(String prompt) {
        return By.xpath("//li[contains(@class,'inquiry-card')][.//a[normalize-space()=" + xpathLiteral(prompt) + "]]");
    }

    static String xpathLiteral(String text) {
        return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
    }

    private void awaitLive() {
        browser.awaitAcrossServices(ExpectedConditions.attributeToBe(By.cssSelector(".live-status"), "data-state",
                "live"));
    }

    /** A mark on the current document: it is gone if the page reloads. */
    private void markDocument() {
        browser.script("window.attuneTestMark = 'still here'");
    }

    private boolean sameDocument() {
        return "still here".equals(browser.script("return window.attuneTestMark"));
    }

    private String sessionToken() {
        Object session = browser.script("return sessionStorage.getItem('attune.session')");
        return session == null ? null : session.toString();
    }
}
