package io.attune.e2e.ui;

import io.attune.e2e.ui.UiSuite.Opened;
import io.attune.e2e.ui.UiSuite.User;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The admins' insights page: charts drawn from the figures, the figures as a table, and the CSV download. */
class InsightsPageTest extends SuiteBrowserTest {
    InsightsPageTest(UiSuite ui) {
        super(ui);
    }

    @Test
    void anAdminSeesTimeToDecisionAndOutcomesAtAGlanceAndDownloadsTheCsv() {
        User ada = ui.user("ada");
        String adaToken = ui.token(ada);
        for (int i = 0; i < 3; i++) {
            Opened opened = ui.openInquiry("Insight " + i + " " + UUID.randomUUID(), UiSuite.deploymentSchema(),
                    ada.id(), 600, null);
            if (i < 2) {
                ui.running().call("POST", "/api/v1/inquiries/" + opened.inquiry() + "/respond", adaToken,
                        Json.write(Map.of("response", Map.of("approved", true, "environment", "production"))));
            } else {
                ui.running().call("POST", "/api/v1/inquiries/" + opened.inquiry() + "/cancel",
                        ui.running().adminToken(), "");
            }
        }
        User admin = ui.admin();
        browser.signIn(ui.baseUrl(), admin.login(), admin.password());
        browser.find(By.xpath("//nav//a[.='Insights']")).click();
        browser.visible(By.xpath("//h1[.='Insights']"));

        // time to decision: ada has a bar, and its label says how long in words
        By adaBar = By.cssSelector("#decision-chart g.bar[data-key='" + ada.login() + "']");
        browser.visible(adaBar);
        assertThat(browser.find(adaBar).getText()).contains(ada.login()).contains("p90");
        // outcome shares: today's column has answered and cancelled parts
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        By todayColumn = By.cssSelector("#outcome-chart g.day[data-day='" + today + "']");
        assertThat(browser.findAll(By.cssSelector("#outcome-chart g.day")).size()).isEqualTo(30);
        assertThat(browser.find(todayColumn).findElements(By.cssSelector("rect[data-outcome='answered']"))).hasSize(1);
        assertThat(browser.find(todayColumn).findElements(By.cssSelector("rect[data-outcome='cancelled']"))).hasSize(1);
        // the same figures as a table
        String row = browser.find(By.xpath("//table[@class='figures']//tr[th='" + ada.login() + "']")).getText();
        assertThat(row).startsWith(ada.login() + " 3 2 0 0 1 0");
        assertThat(Integer.parseInt(browser.find(By.cssSelector("#tile-inquiries .tile-value")).getText()))
                .isGreaterThanOrEqualTo(3);

        // the CSV: capture the file the page hands to the browser
        browser.script("""
                window.capturedCsv = null;
                const original = URL.createObjectURL;
                URL.createObjectURL = (blob) => { blob.text().then((text) => { window.capturedCsv = text; });
                                                  return original(blob); };""");
        browser.find(By.id("insights-csv")).click();
        String csv = (String) browser.waiting(Duration.ofSeconds(10))
                .until(d -> browser.script("return window.capturedCsv;"));
        // (the WebDriver hands strings back with \n line ends; the API's own test checks its \r\n)
        assertThat(csv.replace("\r\n", "\n")).startsWith("key,inquiries,answered,timed_out,cancelled,defaulted,"
                + "escalated,decision_p50_seconds,decision_p90_seconds\n").contains("\n" + ada.login() + ",3,2,0,1,0,0,");

        // another grouping and period from the controls
        browser.find(By.cssSelector("label[for='group-by-action_ref']")).click();
        browser.visible(By.cssSelector("#decision-chart g.bar[data-key='" + UiSuite.ACTION + "']"));
        browser.find(By.cssSelector("label[for='days-7']")).click();
        browser.await(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#outcome-chart g.day"), 7));
    }

    @Test
    void theFiguresAreForAdminsOnly() {
        User bob = ui.user("bob");
        browser.signIn(ui.baseUrl(), bob.login(), bob.password());
        assertThat(browser.findAll(By.xpath("//nav//a[.='Insights']"))).isEmpty();
        browser.get(ui.baseUrl() + "/#/insights");
        browser.visible(By.xpath("//h1[.='Insights are for admins']"));
    }
}
