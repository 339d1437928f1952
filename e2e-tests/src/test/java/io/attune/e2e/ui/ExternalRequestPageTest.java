package io.attune.e2e.ui;

import io.attune.e2e.ui.UiSuite.User;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An approval request from outside (docs/external-requests.md) as its approver meets it in the web UI: the request's
 * context shown exactly as an action's result is, and the answer given in the page reaching the pipeline's wait.
 */
class ExternalRequestPageTest extends SuiteBrowserTest {

    ExternalRequestPageTest(UiSuite ui) {
        super(ui);
    }

    @Test
    void theApproverSeesTheRequestsContextAndTheirAnswerEndsThePipelinesWait() throws Exception {
        User pipeline = ui.user("pipeline");
        User ada = ui.user("ada");
        String prompt = "Deploy billing-api v2.5.0 to production? " + UUID.randomUUID();
        ObjectNode request = Json.object();
        request.put("prompt", prompt);
        request.set("response_schema", UiSuite.deploymentSchema());
        request.put("assigned_to", ada.id());
        request.put("timeout_seconds", 1800);
        request.set("context", UiSuite.deploymentContext());
        String pipelineToken = ui.token(pipeline);
        JsonNode asked = ui.running().call("POST", "/api/v1/inquiries", pipelineToken, Json.write(request))
                .path("data");
        long inquiry = asked.path("id").asLong();
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> ui.running().call("GET",
                "/api/v1/inquiries/" + inquiry + "?wait=60", pipelineToken, null).path("data"));

        browser.signIn(ui.baseUrl(), ada.login(), ada.password());
        browser.get(ui.baseUrl() + "/#/inquiries/" + inquiry);
        browser.await(ExpectedConditions.textToBe(By.tagName("h1"), prompt));
        WebElement context = browser.visible(By.xpath("//section[h2='Context']"));
        assertThat(context.getText()).contains("DEPLOYMENT PLAN", "billing-api", "rolling",
                "Fix rounding of multi-currency totals (#1432)", "Roll back to the previous version");

        browser.find(By.cssSelector("[data-path='/approved']")).findElement(By.xpath(".//label[.='Yes']")).click();
        browser.find(By.xpath("//button[.='Submit answer']")).click();
        browser.visible(By.cssSelector(".panel-outcome"));

        JsonNode decided = waiting.get(30, TimeUnit.SECONDS);
        assertThat(decided.path("status").asString()).isEqualTo("responded");
        assertThat(decided.path("response").path("approved").asBoolean()).isTrue();
        assertThat(decided.path("responded_by").asLong()).isEqualTo(ada.id());
    }
}
