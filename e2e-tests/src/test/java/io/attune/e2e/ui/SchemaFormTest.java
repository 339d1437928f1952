package io.attune.e2e.ui;

import io.attune.model.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The form generator (app/schema-form.js) in a real browser, without the services: each test renders a form from a
 * response_schema, uses it as a person would, and checks what the form would send and what it says is wrong.
 */
class SchemaFormTest extends StaticPageTest {

    @BeforeEach
    void loadTheModule() {
        browser.get(files.url("/test.html"));
        Object loaded = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                import('/app/schema-form.js').then(module => { window.forms = module; done('ok'); },
                    error => done(String(error)));""");
        assertThat(loaded).isEqualTo("ok");
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(browser.scriptErrors()).isEmpty();
    }

    @Test
    void everyPropertyGetsALabelledControlAndUntouchedDefaultsAreSentButNothingElse() {
        render("""
                {"type": "object", "required": ["approved", "environment"],
                 "properties": {
                   "approved": {"type": "boolean", "title": "Approve", "description": "Yes deploys"},
                   "environment": {"type": "string", "enum": ["staging", "production"], "default": "staging"},
                   "replicas": {"type": "integer", "default": 3},
                   "notify_team": {"type": "boolean", "default": true},
                   "ticket": {"type": "string", "maxLength": 20},
                   "rollback_plan": {"type": "string"}}}""");

        WebElement approved = field("/approved");
        assertThat(approved.getTagName()).isEqualTo("fieldset");
        assertThat(approved.findElement(By.tagName("legend")).getText()).isEqualTo("Approve (required)");
        assertThat(describedBy(approved)).contains("Yes deploys");
        assertThat(approved.findElements(By.cssSelector("input[type=radio]:checked"))).isEmpty();
        assertThat(field("/environment").findElement(By.cssSelector("input:checked + label")).getText())
                .isEqualTo("staging");
        assertThat(input("/replicas").getAttribute("value")).isEqualTo("3");
        assertThat(labelOf(input("/ticket"))).isEqualTo("Ticket");
        assertThat(labelOf(input("/rollback_plan"))).isEqualTo("Rollback plan");
        assertThat(input("/rollback_plan").getTagName()).isEqualTo("textarea");
        assertThat(fieldPaths()).as("required first").startsWith("/approved", "/environment");

        JsonNode untouched = collect();
        assertThat(untouched.get("value")).as("defaults, and no empty strings for untouched fields")
                .isEqualTo(Json.tree("{\"environment\": \"staging\", \"replicas\": 3, \"notify_team\": true}"));
        assertThat(untouched.get("problems")).isEqualTo(Json.tree(
                "[{\"path\": \"/approved\", \"message\": \"Choose Yes or No\"}]"));

        choose("/approved", "No");
        input("/ticket").sendKeys("CHG-1042");
        JsonNode answered = collect();
        assertThat(answered.get("problems")).isEmpty();
        assertThat(answered.get("value")).isEqualTo(Json.tree("""
                {"approved": false, "environment": "staging", "replicas": 3, "notify_team": true,
                 "ticket": "CHG-1042"}"""));
    }

    @Test
    void anOptionalYesNoCanBeLeftOrClearedAndARequiredOneNeverDefaultsSilently() {
        render("""
                {"type": "object", "properties": {"urgent": {"type": "boolean"}}}""");
        assertThat(collect().get("value")).isEqualTo(Json.object());
        choose("/urgent", "Yes");
        assertThat(collect().get("value")).isEqualTo(Json.tree("{\"urgent\": true}"));
        field("/urgent").findElement(By.xpath(".//button[.='Clear answer']")).click();
        assertThat(collect().get("value")).isEqualTo(Json.object());
    }

    @Test
    void stringsGetTheInputOfTheirFormatAndKeepTheirLimits() {
        render("""
                {"type": "object", "properties": {
                   "contact": {"type": "string", "format": "email"},
                   "runbook": {"type": "string", "format": "uri"},
                   "window_date": {"type": "string", "format": "date"},
                   "starts_at": {"type": "string", "format": "date-time"},
                   "ticket": {"type": "string", "pattern": "^CHG-[0-9]+$", "maxLength": 12},
                   "summary": {"type": "string", "minLength": 5, "maxLength": 400},
                   "region": {"type": "string", "enum": ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2",
                              "ap-south-1"]},
                   "api_key": {"type": "string", "writeOnly": true}}}""");

        assertThat(input("/contact").getAttribute("type")).isEqualTo("email");
        assertThat(input("/runbook").getAttribute("type")).isEqualTo("url");
        assertThat(input("/window_date").getAttribute("type")).isEqualTo("date");
        assertThat(input("/starts_at").getAttribute("type")).isEqualTo("datetime-local");
        assertThat(input("/api_key").getAttribute("type")).as("a secret is not shown as typed").isEqualTo("password");
        assertThat(input("/summary").getTagName()).isEqualTo("textarea");
        assertThat(field("/summary").getText()).contains("5 to 400 characters", "0 / 400");
        Select region = new Select(field("/region").findElement(By.tagName("select")));
        assertThat(region.getOptions()).extracting(WebElement::getText)
                .containsExactly("— none —", "eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-south-1");

        input("/contact").sendKeys("ops-at-example.com");
        input("/runbook").sendKeys("wiki/runbooks/deploy");
        input("/ticket").sendKeys("1042");
        input("/summary").sendKeys("Ship");
        assertThat(problems(collect())).containsExactly(
                "/contact: Enter an e-mail address, like name@example.com",
                "/runbook: Enter a full address, like https://example.com",
                "/ticket: Enter a value in the expected format (^CHG-[0-9]+$)",
                "/summary: Enter at least 5 characters");

        replace(input("/contact"), "ops@example.com");
        replace(input("/runbook"), "https://wiki.example.com/runbooks/deploy");
        replace(input("/ticket"), "CHG-1042");
        replace(input("/summary"), "Ship the invoice export");
        region.selectByVisibleText("us-east-1");
        browser.script("arguments[0].value = '2026-03-01'", input("/window_date"));
        JsonNode result = collect();
        assertThat(result.get("problems")).isEmpty();
        assertThat(result.get("value")).isEqualTo(Json.tree("""
                {"contact": "ops@example.com", "runbook": "https://wiki.example.com/runbooks/deploy",
                 "ticket": "CHG-1042", "summary": "Ship the invoice export", "region": "us-east-1",
                 "window_date": "2026-03-01"}"""));
    }

    @Test
    void numbersAreReadAsNumbersWithinTheirBounds() {
        render("""
                {"type": "object", "properties": {
                   "batch_size": {"type": "integer", "minimum": 1, "maximum": 10},
                   "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                   "step": {"type": "integer", "multipleOf": 5}}}""");
        assertThat(field("/batch_size").getText()).contains("Whole number from 1 to 10");
        assertThat(input("/batch_size").getAttribute("inputmode")).isEqualTo("numeric");

        input("/batch_size").sendKeys("ten");
        input("/ratio").sendKeys("0");
        input("/step").sendKeys("12");
        assertThat(problems(collect())).containsExactly(
                "/batch_size: Enter a whole number, like 42",
                "/ratio: Enter more than 0",
                "/step: Enter a multiple of 5");

        replace(input("/batch_size"), "11");
        replace(input("/ratio"), "0.25");
        replace(input("/step"), "15");
        assertThat(problems(collect())).containsExactly("/batch_size: Enter 10 or less");
        replace(input("/batch_size"), "2.5");
        assertThat(problems(collect())).containsExactly("/batch_size: Enter a whole number");
        replace(input("/batch_size"), "4");
        JsonNode result = collect();
        assertThat(result.get("problems")).isEmpty();
        assertThat(result.get("value")).isEqualTo(Json.tree("{\"batch_size\": 4, \"ratio\": 0.25, \"step\": 15}"));
        assertThat(result.get("value").get("batch_size").isInt()).isTrue();
    }

    @Test
    void aListOfPrimitivesIsRepeatableInputsWithItsLimits() {
        render("""
                {"type": "object", "properties": {
                   "exclude_records": {"type": "array", "title": "Records to leave out", "default": [],
                     "items": {"type": "integer", "minimum": 0, "maximum": 4}, "uniqueItems": true,
                     "maxItems": 3},
                   "environments": {"type": "array", "items": {"type": "string",
                     "enum": ["staging", "production"]}}}}""");
        WebElement records = field("/exclude_records");
        assertThat(records.getText()).contains("No items.", "Up to 3 items, no duplicates",
                "Each item: whole number from 0 to 4");
        assertThat(collect().get("value")).as("the default [] is sent").isEqualTo(
                Json.tree("{\"exclude_records\": []}"));

        WebElement add = records.findElement(By.xpath(".//button[.='Add an item']"));
        add.click();
        assertThat(browser.focused()).as("focus moves to the new item").isEqualTo(input("/exclude_records/0"));
        browser.focused().sendKeys("1");
        add.click();
        browser.focused().sendKeys("1");
        add.click();
        browser.focused().sendKeys("9");
        assertThat(add.isEnabled()).as("at most 3 items").isFalse();
        assertThat(labelOf(input("/exclude_records/2"))).isEqualTo("Records to leave out, item 3");
        assertThat(problems(collect())).containsExactly(
                "/exclude_records/2: Enter 4 or less",
                "/exclude_records/1: The same as item 1: each item must be different");

        records.findElement(By.xpath(".//button[@aria-label='Remove item 2 of Records to leave out']")).click();
        assertThat(browser.focused()).as("focus stays in the list").isEqualTo(input("/exclude_records/1"));
        replace(input("/exclude_records/1"), "3");
        assertThat(add.isEnabled()).isTrue();

        field("/environments").findElement(By.xpath(".//label[.='production']")).click();
        JsonNode result = collect();
        assertThat(result.get("problems")).isEmpty();
        assertThat(result.get("value")).isEqualTo(Json.tree(
                "{\"exclude_records\": [1, 3], \"environments\": [\"production\"]}"));
    }

    @Test
    void aSecretIsTypedIntoAPasswordInputAtAnyDepthAndSentAsTyped() {
        render("""
                {"type": "object", "properties": {
                   "db_password": {"type": "string", "secret": true, "title": "Database password"},
                   "pin": {"type": "integer", "secret": true},
                   "target": {"type": "object", "properties": {
                      "host": {"type": "string", "maxLength": 50},
                      "token": {"type": "string", "secret": true, "maxLength": 50}}}}}""");

        assertThat(input("/db_password").getAttribute("type")).isEqualTo("password");
        assertThat(input("/db_password").getAttribute("autocomplete")).isEqualTo("new-password");
        assertThat(input("/pin").getAttribute("type")).isEqualTo("password");
        assertThat(input("/target/token").getAttribute("type")).isEqualTo("password");
        assertThat(input("/target/host").getAttribute("type")).isEqualTo("text");

        input("/db_password").sendKeys("s3cr3t pass");
        input("/pin").sendKeys("4711");
        input("/target/token").sendKeys("tok-1");
        JsonNode result = collect();
        assertThat(result.get("problems")).isEmpty();
        assertThat(result.get("value")).isEqualTo(Json.tree(
                "{\"db_password\": \"s3cr3t pass\", \"pin\": 4711, \"target\": {\"token\": \"tok-1\"}}"));
    }

    @Test
    void nestedObjectsAreGroupsSentOnlyWhenSomethingInThemIsSet() {
        render("""
                {"type": "object", "required": ["approved"], "properties": {
                   "approved": {"type": "boolean"},
                   "maintenance_window": {"type": "object", "title": "Maintenance window",
                     "required": ["start"],
                     "properties": {"start": {"type": "string", "format": "date"},
                                    "hours": {"type": "integer", "minimum": 1, "maximum": 8}}}}}""");
        WebElement window = field("/maintenance_window");
        assertThat(window.getTagName()).isEqualTo("fieldset");
        assertThat(window.findElement(By.tagName("legend")).getText()).isEqualTo("Maintenance window");
        assertThat(labelOf(input("/maintenance_window/start"))).isEqualTo("Start (required)");
        choose("/approved", "Yes");
        assertThat(collect().get("value")).isEqualTo(Json.tree("{\"approved\": true}"));

        input("/maintenance_window/hours").sendKeys("2");
        assertThat(problems(collect())).containsExactly("/maintenance_window/start: This field is required");
        browser.script("arguments[0].value = '2026-03-01'", input("/maintenance_window/start"));
        assertThat(collect().get("value")).isEqualTo(Json.tree(
                "{\"approved\": true, \"maintenance_window\": {\"start\": \"2026-03-01\", \"hours\": 2}}"));
    }

    @Test
    void whatTheFormCannotShapeBecomesAJsonFieldAndNoSchemaAJsonAnswer() {
        render("""
                {"type": "object", "properties": {
                   "target": {"oneOf": [{"type": "string"}, {"type": "integer"}], "title": "Target"},
                   "servers": {"type": "array", "items": {"type": "object",
                               "properties": {"host": {"type": "string"}}}}}}""");
        assertThat(input("/target").getTagName()).isEqualTo("textarea");
        assertThat(field("/target").getText()).contains("Enter JSON.", "Expected JSON");
        input("/target").sendKeys("{not json");
        assertThat(problems(collect())).singleElement().asString().startsWith("/target: This is not valid JSON");
        replace(input("/target"), "42");
        input("/servers").sendKeys("[{\"host\": \"db-1\"}]");
        assertThat(collect().get("value"))
                .isEqualTo(Json.tree("{\"target\": 42, \"servers\": [{\"host\": \"db-1\"}]}"));

        render("null");
        assertThat(input("").getAttribute("value")).isEqualTo("{}");
        replace(input(""), "{\"approved\": true}");
        assertThat(collect().get("value")).isEqualTo(Json.tree("{\"approved\": true}"));
    }

    @Test
    void unusualButValidSchemasStillGiveAUsableForm() {
        render("""
                {"type": "object", "required": ["a/b"], "properties": {
                   "a/b": {"type": "string", "title": "Slash in the name"},
                   "anything": true,
                   "maybe_text": {"type": ["string", "null"]},
                   "choice": {"const": "ship-it"},
                   "free_form": {"type": "object"}}}""");
        assertThat(labelOf(input("/a~1b"))).isEqualTo("Slash in the name (required)");
        assertThat(input("/anything").getTagName()).isEqualTo("textarea");
        assertThat(input("/free_form").getTagName()).isEqualTo("textarea");
        assertThat(input("/maybe_text").getTagName()).isEqualTo("textarea");
        assertThat(problems(collect())).containsExactly("/a~1b: This field is required");

        input("/a~1b").sendKeys("x");
        choose("/choice", "ship-it");
        input("/free_form").sendKeys("{\"k\": 1}");
        assertThat(collect().get("value")).isEqualTo(Json.tree(
                "{\"a/b\": \"x\", \"choice\": \"ship-it\", \"free_form\": {\"k\": 1}}"));
    }

    @Test
    void theServersErrorsLandByTheFieldTheirPathNames() {
        render("""
                {"type": "object", "properties": {
                   "continue": {"type": "boolean"},
                   "exclude_records": {"type": "array", "items": {"type": "integer"}, "default": [1, 2, 7]}}}""");
        Object unplaced = browser.script("""
                return JSON.stringify(window.current.form.showErrors([
                    {path: '/exclude_records/2', message: 'must have a maximum value of 4'},
                    {path: '/continue', message: 'string found, boolean expected'},
                    {path: '', message: 'property "extra" is not defined in the schema'}]));""");
        assertThat(Json.tree((String) unplaced)).isEqualTo(Json.tree(
                "[{\"path\": \"\", \"message\": \"property \\\"extra\\\" is not defined in the schema\"}]"));
        assertThat(errorText("/exclude_records/2")).isEqualTo("Error: must have a maximum value of 4");
        assertThat(input("/exclude_records/2").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(errorText("/continue")).isEqualTo("Error: string found, boolean expected");
        assertThat(describedBy(field("/continue"))).contains("string found, boolean expected");

        browser.script("window.current.form.clearErrors()");
        assertThat(browser.findAll(By.cssSelector(".field-error:not([hidden])"))).isEmpty();
        assertThat(browser.findAll(By.cssSelector("[aria-invalid]"))).isEmpty();
    }

    private void render(String schema) {
        browser.script("""
                const schema = JSON.parse(arguments[0]);
                const model = window.forms.buildModel(schema);
                const form = window.forms.renderForm(model);
                window.current = {model, form};
                document.getElementById('host').replaceChildren(form.element);""", schema);
    }

    /** What submitting would send, and the problems it would show: {value, problems: [{path, message}]}. */
    private JsonNode collect() {
        return Json.tree((String) browser.script("""
                const {value, problems} = window.forms.collect(window.current.model, window.current.form);
                return JSON.stringify({value: value === undefined ? null : value, problems});"""));
    }

    private static List<String> problems(JsonNode collected) {
        return collected.get("problems").valueStream()
                .map(problem -> problem.get("path").asString() + ": " + problem.get("message").asString()).toList();
    }

    private WebElement field(String path) {
        return browser.find(By.cssSelector("[data-path='" + path + "']"));
    }

    private WebElement input(String path) {
        return field(path).findElement(By.cssSelector("input, textarea, select"));
    }

    private void choose(String path, String label) {
        field(path).findElement(By.xpath(".//label[.='" + label + "']")).click();
    }

    private void replace(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    private String errorText(String path) {
        WebElement error = field(path).findElement(By.cssSelector(".field-error"));
        return error.isDisplayed() ? error.getText() : "";
    }

    private String labelOf(WebElement input) {
        return (String) browser.script("return arguments[0].labels[0].textContent", input);
    }

    private String describedBy(WebElement element) {
        return (String) browser.script("""
                return (arguments[0].getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
                    .map(id => document.getElementById(id).textContent).join(' ');""", element);
    }

    @SuppressWarnings("unchecked")
    private List<String> fieldPaths() {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#host .form-fields > .field')].map(f => f.dataset.path)");
    }
}
