package io.attune.e2e.ui;

import io.attune.e2e.RunningSuite;
import io.attune.e2e.StandardSuite;
import io.attune.model.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web UI around a workflow (docs/ui.md, "Inside a workflow"): the bundled {@code examples.deploy_with_approval}
 * run for real — notifier, executor, api and a worker running the example actions — and followed in the browser by
 * the person who approves it: the inbox names the workflow, the inquiry page shows the steps around the question and
 * what each answer leads to, and after "approve" the run's page shows the tree of task runs down to the deployment.
 * On the shared {@link StandardSuite}, not {@link UiSuite}: that one has no worker on purpose (its tests play the
 * worker).
 */
@ExtendWith(Browser.Installed.class)
@StandardSuite.Uses
class WorkflowPagesTest {
    private static final String WORKFLOW = "examples.deploy_with_approval";

    private static RunningSuite suite;
    private static String adminToken;
    private Browser browser;

    @BeforeAll
    static void start(StandardSuite shared) {
        suite = shared.running();
        adminToken = suite.adminToken();
    }

    @BeforeEach
    void openBrowser() {
        browser = Browser.open();
    }

    @AfterEach
    void closeBrowser() {
        try {
            assertThat(browser.scriptErrors()).as("script errors in the page").isEmpty();
        } finally {
            browser.close();
        }
    }

    @Test
    void anApproverFollowsTheWorkflowFromTheInboxToTheDeployment() {
        String login = "approver-" + UUID.randomUUID().toString().substring(0, 6);
        suite.createIdentity(login, "password-of-" + login);
        String service = "billing-" + UUID.randomUUID().toString().substring(0, 6);
        long workflow = suite.call("POST", "/api/v1/executions", adminToken, Json.write(Map.of("action_ref", WORKFLOW,
                "parameters", Map.of("service", service, "version", "2.5.0")))).path("data").path("id").asLong();
        JsonNode question = await().atMost(Browser.ACROSS_SERVICES).pollInterval(Duration.ofMillis(200))
                .until(() -> suite.call("GET", "/api/v1/executions/" + workflow + "/inquiries", adminToken, null)
                        .path("data"), inquiries -> inquiries.size() == 1).get(0);
        String prompt = question.path("prompt").asString();
        JsonNode listed = suite.call("GET", "/api/v1/inquiries?execution=" + question.path("execution").asLong(),
                adminToken, null).path("data").get(0);
        assertThat(listed.path("workflow")).as("the list names the workflow the inquiry waits in")
                .isEqualTo(Json.tree("{\"execution\": " + workflow + ", \"ref\": \"" + WORKFLOW + "\"}"));
        assertThat(suite.call("GET", "/api/v1/inquiries/" + question.path("id").asLong(), adminToken, null)
                .path("data").path("workflow")).isEqualTo(listed.path("workflow"));
        assertThat(prompt).startsWith("Deploy " + service + " 2.5.0 to production?");

        // the inbox names the workflow that waits, linked to its run
        browser.signIn(suite.apiUrl(), login, "password-of-" + login);
        // the card is drawn again when a notification about it arrives: every check locates it afresh
        String card = "//li[contains(@class,'inquiry-card')][.//a[normalize-space()="
                + InboxTest.xpathLiteral(prompt) + "]]";
        By named = By.xpath(card + "//span[contains(@class,'card-workflow')]");
        browser.awaitAcrossServices(ExpectedConditions.textToBe(named, "Workflow " + WORKFLOW));
        By link = By.xpath(card + "//span[contains(@class,'card-workflow')]/a");
        browser.await(driver -> {
            try {
                return driver.findElement(link).getAttribute("href").endsWith("#/executions/" + workflow);
            } catch (StaleElementReferenceException redrawn) {
                return false;
            }
        });
        browser.await(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.xpath(card),
                "Execution #" + question.path("execution").asLong())));

        // the inquiry page: the steps done, this step, what each answer leads to
        clickWhenStill(By.xpath(card + "//a[contains(@class,'card-title')]"));
        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), prompt));
        WebElement panel = browser.visible(By.cssSelector(".panel-workflow"));
        assertThat(panel.findElement(By.tagName("h2")).getText()).startsWith("Workflow " + WORKFLOW);
        assertThat(step(panel, "plan").getAttribute("class")).contains("workflow-step-ran");
        assertThat(step(panel, "plan").getText()).contains("(examples.plan_deploy)", "completed");
        WebElement current = step(panel, "approve");
        assertThat(current.getAttribute("aria-current")).isEqualTo("step");
        assertThat(current.getText()).contains("(a question)", "← this question");
        assertThat(current.findElement(By.cssSelector(".workflow-leads-to")).getText())
                .contains("What the answer leads to:", "result.response.approved → deploy",
                        "!result.response.approved → report_rejected");
        assertThat(step(panel, "deploy").getAttribute("class")).contains("workflow-step-not-reached");
        assertThat(step(panel, "report_rejected").getAttribute("class")).contains("workflow-step-not-reached");

        // approve: the workflow deploys
        browser.visible(By.cssSelector("[data-path='/approved']")).findElement(By.xpath(".//label[.='Yes']")).click();
        browser.find(By.xpath("//button[.='Submit answer']")).click();
        browser.visible(By.cssSelector("[data-flash]"));
        await().atMost(Browser.ACROSS_SERVICES).pollInterval(Duration.ofMillis(200))
                .until(() -> suite.call("GET", "/api/v1/executions/" + workflow, adminToken, null)
                        .path("data").path("status").asString(), "completed"::equals);

        // the run's page: the tree of task runs, each under the run whose decision started it
        clickWhenStill(By.xpath("//section[contains(@class,'panel-workflow')]//a[.='The whole run']"));
        browser.await(ExpectedConditions.urlContains("#/executions/" + workflow));
        browser.await(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Workflow " + WORKFLOW));
        WebElement tree = browser.visible(By.cssSelector("section[aria-label='Task runs'] > ul.workflow-tree"));
        WebElement plan = tree.findElement(By.cssSelector(":scope > li[data-task='plan']"));
        WebElement approve = plan.findElement(By.cssSelector(":scope > ul > li[data-task='approve']"));
        WebElement deploy = approve.findElement(By.cssSelector(":scope > ul > li[data-task='deploy']"));
        assertThat(approve.findElement(By.tagName("a")).getText()).isEqualTo(prompt);
        assertThat(deploy.findElement(By.cssSelector(".badge")).getText()).isEqualTo("completed");
        assertThat(tree.findElements(By.cssSelector("li[data-task='report_rejected']")))
                .as("the rejection branch did not run").isEmpty();
        assertThat(browser.find(By.tagName("h1")).findElement(By.cssSelector(".badge")).getText())
                .isEqualTo("completed");
        assertThat(browser.findAll(By.cssSelector("details.raw-json")))
                .as("the approver may follow the workflow, not read the run's parameters and result").isEmpty();
    }

    /** Clicks what the locator finds, locating it again if the page redrew it meanwhile. */
    private void clickWhenStill(By locator) {
        browser.await(driver -> {
            try {
                driver.findElement(locator).click();
                return true;
            } catch (StaleElementReferenceException redrawn) {
                return false;
            }
        });
    }

    private static WebElement step(WebElement panel, String task) {
        return panel.findElement(By.cssSelector("li.workflow-step[data-task='" + task + "']"));
    }
}
