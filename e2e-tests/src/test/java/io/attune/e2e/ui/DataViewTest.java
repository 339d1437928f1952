package io.attune.e2e.ui;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How an execution's context is shown (app/data-view.js), in a real browser without the services. */
class DataViewTest extends StaticPageTest {

    @Test
    void theContextIsTheResultWithoutItsQuestionShownAsListsAndTables() {
        show("""
                {"__inquiry": {"prompt": "Approve?", "response_schema": {"type": "object"}},
                 "impact_analysis": {"severity": "high", "rules_analyzed": 3, "reviewed": false,
                   "findings": [{"rule_index": 1, "severity": "high", "summary": "allows ssh from anywhere"},
                                {"rule_index": 0, "severity": "low", "summary": "public HTTPS", "note": null}]},
                 "runbook": "https://wiki.example.com/runbooks/firewall",
                 "steps": ["Run the pre-deployment checks against production",
                           "Roll out to 25% of the instances at a time"]}""");

        WebElement host = browser.find(By.id("host"));
        assertThat(host.findElements(By.cssSelector("h3"))).extracting(DataViewTest::text)
                .containsExactly("Impact analysis", "Runbook", "Steps");
        assertThat(host.getText()).doesNotContain("__inquiry", "Approve?", "response_schema");

        WebElement impact = host.findElement(By.xpath("//section[h3='Impact analysis']"));
        assertThat(impact.findElements(By.cssSelector(":scope > dl > .data-row > dt"))).extracting(WebElement::getText)
                .as("simple values before nested ones").containsExactly("Severity", "Rules analyzed", "Reviewed",
                        "Findings");
        assertThat(impact.findElement(By.cssSelector(".tag-high")).getText()).isEqualTo("high");
        assertThat(impact.findElement(By.xpath(".//dt[.='Reviewed']/following-sibling::dd")).getText())
                .isEqualTo("No");

        WebElement table = impact.findElement(By.cssSelector("table.data-table"));
        assertThat(table.findElements(By.cssSelector("th"))).extracting(DataViewTest::text)
                .as("columns from every row, identifying ones first")
                .containsExactly("Rule index", "Severity", "Summary", "Note");
        List<WebElement> rows = table.findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getText()).contains("1", "high", "allows ssh from anywhere");
        assertThat(rows.get(1).findElements(By.cssSelector("td")).get(3).getText()).isEqualTo("none");
        assertThat(table.findElement(By.xpath("ancestor::div[@role='region']")).getAttribute("tabindex"))
                .as("a wide table scrolls in its box, by keyboard too").isEqualTo("0");

        WebElement link = host.findElement(By.cssSelector("a[href='https://wiki.example.com/runbooks/firewall']"));
        assertThat(link.getAttribute("rel")).contains("noopener", "noreferrer");
        assertThat(host.findElements(By.cssSelector("ol.data-steps li"))).hasSize(2);
    }

    @Test
    void markupInTheDataIsShownAsTextAndNeverRuns() {
        show("""
                {"note": "<img src=x onerror=\\"window.injected = true\\"><b>bold</b>",
                 "rows": [{"<script>x</script>": "<i>cell</i>"}],
                 "link": "javascript:window.injected = true"}""");
        WebElement host = browser.find(By.id("host"));
        assertThat(host.findElements(By.cssSelector("img, b, i, script"))).isEmpty();
        assertThat(host.getText()).contains("<img src=x onerror=\"window.injected = true\"><b>bold</b>",
                "<i>cell</i>", "javascript:window.injected = true");
        assertThat(host.findElements(By.cssSelector("a"))).as("only http(s) addresses become links").isEmpty();
        assertThat(browser.script("return window.injected === true")).isEqualTo(false);
    }

    /** The text as written, before CSS (headings are shown in capitals). */
    private static String text(WebElement element) {
        return element.getDomProperty("textContent");
    }

    private void show(String result) {
        browser.get(files.url("/test.html"));
        Object shown = browser.asyncScript("""
                const [result, done] = [JSON.parse(arguments[0]), arguments[arguments.length - 1]];
                import('/app/data-view.js').then(view => {
                    document.getElementById('host').replaceChildren(...view.renderSections(view.contextOf(result)));
                    done('ok');
                }, error => done(String(error)));""", result);
        assertThat(shown).isEqualTo("ok");
    }
}
