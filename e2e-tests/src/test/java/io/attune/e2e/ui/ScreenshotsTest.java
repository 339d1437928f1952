package io.attune.e2e.ui;

import io.attune.e2e.ui.UiSuite.Opened;
import io.attune.e2e.ui.UiSuite.User;
import org.junit.jupiter.api.Test;
import io.attune.e2e.SharedSuites;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.Map;

import static io.attune.e2e.ui.InboxTest.cardWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pictures in the README, taken from the real thing: Ada's inbox and a deployment approval, on a desktop and on a
 * phone (where nothing may need sideways scrolling). They go to target/screenshots; to refresh the committed ones:
 * {@code ./mvnw -pl e2e-tests -am verify -Dtest=ScreenshotsTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dattune.screenshots.dir=$PWD/docs/screenshots}.
 */
@ExtendWith({Browser.Installed.class, UiSuite.Extension.class})
@SharedSuites.Group(UiSuite.GROUP)
class ScreenshotsTest {
    static final Path DIR = Path.of(System.getProperty("attune.screenshots.dir", "target/screenshots"));

    @Test
    void theInboxAndADeploymentApprovalOnADesktopAndAPhone(UiSuite ui) {
        User ada = ui.user("ada", "Ada Lovelace");
        ui.openInquiry("examples.data_import", "Found 4 anomalies. Continue import?",
                UiSuite.resource("data-import-schema.json"), ada.id(), 3600,
                UiSuite.resource("data-import-context.json"));
        ui.openInquiry("examples.firewall_review", "High-impact firewall changes detected. Approve?",
                UiSuite.resource("firewall-schema.json"), ada.id(), 7200, UiSuite.resource("firewall-context.json"));
        ui.openInquiry("examples.deploy_approval", "Approve deployment of search-indexer v1.8.3 to staging?",
                UiSuite.deploymentSchema(), ada.id(), 240, deployment("search-indexer", "v1.8.3", "staging"));
        Opened billing = ui.openInquiry("examples.deploy_approval",
                "Approve deployment of billing-api v2.5.0 to production?", UiSuite.deploymentSchema(), ada.id(), 1800,
                UiSuite.deploymentContext());

        try (Browser browser = Browser.open(1280, 860)) {
            browser.signIn(ui.baseUrl(), ada.login(), ada.password());
            browser.find(By.cssSelector("label[for='filter-mine']")).click();
            browser.visible(By.cssSelector(".live-status[data-state='live']"));
            browser.await(driver -> driver.findElements(By.cssSelector(".inquiry-card")).size() == 4);
            browser.await(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".result-count"),
                    "4 pending inquiries assigned to you"));
            browser.screenshot(DIR.resolve("inbox.png"));

            browser.find(cardWith(billing.prompt())).findElement(By.cssSelector("a.card-title")).click();
            WebElement approved = browser.visible(By.cssSelector("[data-path='/approved']"));
            approved.findElement(By.xpath(".//label[.='Yes']")).click();
            browser.find(By.cssSelector("[data-path='/comments'] textarea"))
                    .sendKeys("Canary in eu-west-1 was clean for an hour; go ahead.");
            browser.script("document.activeElement.blur()");
            browser.screenshot(DIR.resolve("inquiry-form.png"));

            browser.resize(390, 844);
            browser.driver().navigate().refresh();
            browser.visible(By.cssSelector("[data-path='/approved']"));
            assertNoSidewaysScrolling(browser);
            browser.screenshot(DIR.resolve("inquiry-phone.png"));
            browser.get(ui.baseUrl() + "/#/inbox?mine=1");
            browser.await(driver -> driver.findElements(By.cssSelector(".inquiry-card")).size() == 4);
            assertNoSidewaysScrolling(browser);
            assertThat(browser.scriptErrors()).isEmpty();
        }
    }

    private static JsonNode deployment(String service, String version, String target) {
        ObjectNode context = (ObjectNode) UiSuite.deploymentContext().deepCopy();
        ObjectNode plan = (ObjectNode) context.get("deployment_plan");
        plan.put("service", service);
        plan.put("version", version);
        plan.put("target", target);
        return context;
    }

    private static void assertNoSidewaysScrolling(Browser browser) {
        @SuppressWarnings("unchecked")
        Map<String, Object> sizes = (Map<String, Object>) browser.script(
                "return {page: document.documentElement.scrollWidth, window: window.innerWidth}");
        assertThat(((Number) sizes.get("page")).intValue()).as("page width on a phone")
                .isLessThanOrEqualTo(((Number) sizes.get("window")).intValue());
    }
}
