package io.attune.e2e.ui;

import io.attune.e2e.ui.UiSuite.User;
import io.attune.testsupport.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admins' Channels page: create a webhook, its status, edit it, a test message in its delivery log, delete. */
class ChannelsPageTest extends SuiteBrowserTest {
    ChannelsPageTest(UiSuite ui) {
        super(ui);
    }

    private void fill(By field, String text) {
        WebElement input = browser.find(field);
        input.clear();
        input.sendKeys(text);
    }

    /** Clicks Refresh until the delivery log has a row with that status. */
    private WebElement deliveryWithStatus(String status) {
        return browser.waiting(Browser.ACROSS_SERVICES).until(driver -> {
            var rows = driver.findElements(By.cssSelector("#deliveries-table tr[data-status='" + status + "']"));
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            driver.findElement(By.id("deliveries-refresh")).click();
            return null;
        });
    }

    @Test
    void anAdminCreatesAWebhookSendsATestAndReadsItsDeliveries() {
        String secret = "whsec_" + Base64.getEncoder().encodeToString(UUID.randomUUID().toString()
                .substring(0, 32).getBytes());
        String name = "ops-hook-" + UUID.randomUUID().toString().substring(0, 6);
        User admin = ui.admin();
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            browser.signIn(ui.baseUrl(), admin.login(), admin.password());
            browser.find(By.xpath("//nav//a[.='Channels']")).click();
            browser.visible(By.xpath("//h1[.='Channels']"));

            // the server's validation errors are listed with the field each names
            fill(By.id("channel-name"), name);
            fill(By.id("channel-url"), "ftp://example.com/hook");
            browser.find(By.id("channel-save")).click();
            WebElement errors = browser.visible(By.id("channel-errors"));
            assertThat(errors.getText()).contains("/config/url");

            new Select(browser.find(By.id("channel-type"))).selectByValue("webhook");
            fill(By.id("channel-url"), receiver.url());
            fill(By.id("channel-secret"), secret);
            browser.find(By.id("activity-created")).click();
            browser.find(By.id("channel-save")).click();

            // its page: the secret shown this once, the status, no delivery yet
            browser.visible(By.xpath("//h1[.='" + name + "']"));
            assertThat(browser.visible(By.id("channel-secret-once")).getText()).isEqualTo(secret);
            assertThat(browser.find(By.id("channel-status")).getText()).contains("OK");
            String path = (String) browser.script("return location.hash;");
            long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
            JsonNode stored = ui.running().call("GET", "/api/v1/channels/" + id, ui.running().adminToken(), null)
                    .path("data");
            assertThat(stored.at("/config/secret").asString()).isEqualTo("********");
            assertThat(stored.at("/filters/activity").toString()).isEqualTo("[\"created\"]");

            browser.find(By.id("channel-test")).click();
            assertThat(browser.visible(By.id("channel-notice")).getText()).contains("Test message queued");
            WebElement delivered = deliveryWithStatus("delivered");
            assertThat(delivered.getText()).contains("channel.test").contains("200");
            assertThat(receiver.acceptedRequests()).hasSize(1);
            assertThat(receiver.acceptedRequests().get(0).body()).contains("\"type\":\"channel.test\"");

            // edit: a new name; the secret field left empty keeps the secret (a second test still verifies)
            browser.visible(By.id("channel-secret"));
            assertThat(browser.find(By.id("channel-secret")).getAttribute("value")).isEmpty();
            fill(By.id("channel-name"), name + "-renamed");
            browser.find(By.id("channel-save")).click();
            browser.visible(By.xpath("//h1[.='" + name + "-renamed']"));
            browser.find(By.id("channel-test")).click();
            await().atMost(Browser.ACROSS_SERVICES).until(() -> receiver.acceptedRequests().size() == 2);
            assertThat(receiver.invalid()).isEmpty();

            // the list shows it with its status
            browser.find(By.xpath("//nav//a[.='Channels']")).click();
            WebElement row = browser.visible(By.cssSelector("#channels-table tr[data-channel='" + id + "']"));
            assertThat(row.getText()).contains(name + "-renamed").contains("webhook").contains("OK").contains("created");

            // and delete, after the confirmation
            row.findElement(By.tagName("a")).click();
            browser.visible(By.id("channel-delete")).click();
            browser.await(ExpectedConditions.alertIsPresent()).accept();
            browser.visible(By.xpath("//h1[.='Channels']"));
            browser.await(ExpectedConditions.numberOfElementsToBe(
                    By.cssSelector("#channels-table tr[data-channel='" + id + "']"), 0));
        }
    }

    @Test
    void channelsAreForAdminsOnly() {
        User bob = ui.user("bob");
        browser.signIn(ui.baseUrl(), bob.login(), bob.password());
        assertThat(browser.findAll(By.xpath("//nav//a[.='Channels']"))).isEmpty();
        browser.get(ui.baseUrl() + "/#/channels");
        browser.visible(By.xpath("//h1[.='Channels are for admins']"));
    }
}
