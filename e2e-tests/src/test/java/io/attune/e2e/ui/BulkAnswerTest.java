package io.attune.e2e.ui;

import io.attune.e2e.ui.UiSuite.Opened;
import io.attune.e2e.ui.UiSuite.User;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The inbox: group assignment by name, and several inquiries answered at once with per-item results. */
class BulkAnswerTest extends SuiteBrowserTest {
    BulkAnswerTest(UiSuite ui) {
        super(ui);
    }

    @Test
    void aGroupMemberSelectsSeveralInquiriesAndAnswersThemInOneForm() {
        User ada = ui.user("ada");
        String sre = ui.group(ada);
        JsonNode toGroup = Json.tree("{\"group\": \"" + sre + "\"}");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Opened first = ui.openInquiry("Bulk one " + tag, UiSuite.deploymentSchema(), toGroup, 600);
        Opened second = ui.openInquiry("Bulk two " + tag, UiSuite.deploymentSchema(), toGroup, 600);
        Opened other = ui.openInquiry("Bulk other " + tag, Json.tree(
                "{\"type\": \"object\", \"properties\": {\"continue\": {\"type\": \"boolean\"}}}"), toGroup, 600);
        // answered meanwhile by someone else of the group: the bulk call reports it per item
        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        WebElement card = browser.visible(InboxTest.cardWith(first.prompt()));
        assertThat(card.getText()).contains("Assigned to group " + sre);

        for (Opened opened : new Opened[]{first, second, other}) {
            browser.find(By.id("select-" + opened.inquiry())).click();
        }
        browser.find(By.id("bulk-answer")).click();
        assertThat(browser.visible(By.id("bulk-different")).getText()).contains("ask for different answers");

        browser.find(By.id("select-" + other.inquiry())).click();
        browser.find(By.id("bulk-answer")).click();
        WebElement panel = browser.visible(By.cssSelector(".bulk-panel form"));
        ui.running().call("POST", "/api/v1/inquiries/" + second.inquiry() + "/respond", ui.token(ada),
                "{\"response\": {\"approved\": false}}");
        panel.findElement(By.xpath(".//label[.='Yes']")).click();
        panel.findElement(By.xpath(".//button[starts-with(., 'Submit this answer')]")).click();

        WebElement okItem = browser.visible(By.cssSelector("#bulk-results li[data-id='" + first.inquiry() + "']"));
        assertThat(okItem.getAttribute("data-status")).isEqualTo("200");
        assertThat(okItem.getText()).contains("answered");
        WebElement refused = browser.find(By.cssSelector("#bulk-results li[data-id='" + second.inquiry() + "']"));
        assertThat(refused.getAttribute("data-status")).isEqualTo("409");
        assertThat(refused.getText()).contains("not answered (409)", "already responded");
        assertThat(ui.inquiry(first.inquiry()).path("response").path("approved").asBoolean()).isTrue();
        assertThat(ui.inquiry(other.inquiry()).path("status").asString()).isEqualTo("pending");
        browser.await(ExpectedConditions.invisibilityOfElementLocated(InboxTest.cardWith(first.prompt())));
    }
}
