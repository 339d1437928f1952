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

/**
 * The admins' Channels page: create a webhook, its status, edit it, a test message in its delivery log, delete; an
 * edit keeps the filters the form cannot show; an email channel says it cannot send without SMTP.
 */
class ChannelsPageTest extends SuiteBrowserTest {
    ChannelsPageTest(UiSuite ui) {
        super(ui);
    }

    private void fill(By field, String text) {
        WebElement input = browser.find(field);
        input.clear();
        input.sendKeys(text);
    }

    /** Clicks an element once it is scrolled clear of the sticky top bar. */
    private void click(By locator) {
        WebElement element = browser.visible(locator);
        browser.script("arguments[0].scrollIntoView({block: 'center'});", element);
        element.click();
    }

    /** Clicks Refresh until the delivery log has a row with that status. */
    private WebElement deliveryWithStatus(String status) {
        return browser.waiting(Browser.ACROSS_SERVICES).until(driver -> {
            var rows = driver.findElements(By.cssSelector("#deliveries-table tr[data-status='" + status + "']"));
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            browser.script("document.getElementById('deliveries-refresh').click();");
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
            click(By.xpath("//nav//a[.='Channels']"));
            browser.visible(By.xpath("//h1[.='Channels']"));

            // the server's validation errors are listed with the field each names
            fill(By.id("channel-name"), name);
            fill(By.id("channel-url"), "ftp://example.com/hook");
            click(By.id("channel-save"));
            WebElement errors = browser.visible(By.id("channel-errors"));
            assertThat(errors.getText()).contains("/config/url");

            new Select(browser.find(By.id("channel-type"))).selectByValue("webhook");
            fill(By.id("channel-url"), receiver.url());
            fill(By.id("channel-secret"), secret);
            click(By.id("activity-created"));
            click(By.id("channel-save"));

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

            click(By.id("channel-test"));
            browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("channel-notice"),
                    "Test message queued"));
            WebElement delivered = deliveryWithStatus("delivered");
            assertThat(delivered.getText()).contains("channel.test").contains("200");
            assertThat(receiver.acceptedRequests()).hasSize(1);
            assertThat(receiver.acceptedRequests().get(0).body()).contains("\"type\":\"channel.test\"");

            // edit: a new name; the secret field left empty keeps the secret (a second test still verifies)
            browser.visible(By.id("channel-secret"));
            assertThat(browser.find(By.id("channel-secret")).getAttribute("value")).isEmpty();
            fill(By.id("channel-name"), name + "-renamed");
            click(By.id("channel-save"));
            browser.visible(By.xpath("//h1[.='" + name + "-renamed']"));
            click(By.id("channel-test"));
            await().atMost(Browser.ACROSS_SERVICES).until(() -> receiver.acceptedRequests().size() == 2);
            assertThat(receiver.invalid()).isEmpty();

            // the list shows it with its status
            click(By.xpath("//nav//a[.='Channels']"));
            WebElement row = browser.visible(By.cssSelector("#channels-table tr[data-channel='" + id + "']"));
            assertThat(row.getText()).contains(name + "-renamed").contains("webhook").contains("OK").contains("created");

            // and delete, after the confirmation
            click(By.cssSelector("#channels-table tr[data-channel='" + id + "'] a"));
            click(By.id("channel-delete"));
            browser.await(ExpectedConditions.alertIsPresent()).accept();
            browser.visible(By.xpath("//h1[.='Channels']"));
            browser.await(ExpectedConditions.numberOfElementsToBe(
                    By.cssSelector("#channels-table tr[data-channel='" + id + "']"), 0));
        }
    }

    /** A channel made over the API, as the admin; its id. */
    private long createOverApi(String channelJson) {
        return ui.running().call("POST", "/api/v1/channels", ui.running().adminToken(), channelJson)
                .at("/data/id").asLong();
    }

    private JsonNode storedFilters(long id) {
        return ui.running().call("GET", "/api/v1/channels/" + id, ui.running().adminToken(), null).at("/data/filters");
    }

    @Test
    void aGroupFilterSetOverTheApiIsKeptWhenTheChannelIsRenamedInThePage() {
        String name = "group-hook-" + UUID.randomUUID().toString().substring(0, 6);
        long id = createOverApi("{\"type\": \"webhook\", \"name\": \"" + name + "\", "
                + "\"config\": {\"url\": \"http://127.0.0.1:9/hook\"}, "
                + "\"filters\": {\"activity\": [\"created\", \"escalated\"], \"assigned_to\": {\"group\": \"sre\"}}}");
        JsonNode before = storedFilters(id);
        User admin = ui.admin();
        browser.signIn(ui.baseUrl(), admin.login(), admin.password());
        browser.get(ui.baseUrl() + "/#/channels/" + id);
        browser.visible(By.xpath("//h1[.='" + name + "']"));
        // the form cannot edit a group filter: it says so instead of offering an identity field
        assertThat(browser.visible(By.id("channel-assigned-group")).getText()).contains("group sre");
        assertThat(browser.findAll(By.id("channel-assigned-to"))).isEmpty();

        fill(By.id("channel-name"), name + "-renamed");
        click(By.id("channel-save"));
        browser.visible(By.xpath("//h1[.='" + name + "-renamed']"));
        assertThat(storedFilters(id)).isEqualTo(before);
        assertThat(before.at("/assigned_to/group").asString()).isEqualTo("sre");
    }

    @Test
    void anEmailChannelSaysItCannotSendWhileNoNotifierHasSmtp() {
        // the suite's notifier has no ATTUNE_SMTP_URL
        String name = "mail-" + UUID.randomUUID().toString().substring(0, 6);
        long id = createOverApi("{\"type\": \"email\", \"name\": \"" + name + "\", \"config\": {}}");
        User admin = ui.admin();
        browser.signIn(ui.baseUrl(), admin.login(), admin.password());
        click(By.xpath("//nav//a[.='Channels']"));
        WebElement row = browser.visible(By.cssSelector("#channels-table tr[data-channel='" + id + "']"));
        assertThat(row.getText()).contains("Cannot send").contains("ATTUNE_SMTP_URL");

        click(By.cssSelector("#channels-table tr[data-channel='" + id + "'] a"));
        browser.visible(By.xpath("//h1[.='" + name + "']"));
        assertThat(browser.visible(By.id("channel-status")).getText()).contains("Cannot send")
                .contains("no SMTP server is configured on the notifier (ATTUNE_SMTP_URL)");
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
