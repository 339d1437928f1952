package io.attune.worker.examples;

import io.attune.model.json.Json;
import io.attune.worker.Interpreters;
import io.attune.worker.TestPacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The example actions run directly, as a person would run them by hand (parameters on stdin): their output is valid
 * JSON whatever the parameters hold — quotes, backslashes, control characters, any Unicode — and the three
 * deployment approvals agree.
 */
@Timeout(60)
class ExampleScriptsTest {
    static final Path ACTIONS = TestPacks.exampleActions();
    /** Everything that needs escaping in JSON, and text beyond ASCII (a surrogate pair too). */
    static final String TRICKY = "a \"quoted\" back\\slash / tab\t newline\n bell\u0007 \u00e9\u00e8 \u4e2d\u6587 "
            + "\uD83D\uDE80 \u2028 </script>";

    record Run(int exitCode, String stdout, String stderr) {
        JsonNode json() {
            assertThat(exitCode).as("exit code; stderr: %s", stderr).isZero();
            return Json.tree(stdout);
        }
    }

    static Run run(String interpreter, String script, String stdin) {
        return run(interpreter, ACTIONS.resolve(script), stdin);
    }

    static Run run(String interpreter, Path script, String stdin) {
        try {
            Process process = new ProcessBuilder(interpreter, script.toString()).start();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String stdout = read(process.getInputStream());
            return new Run(process.waitFor(), stdout, stderr.join());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode trickyDeployment() {
        ObjectNode parameters = Json.object();
        parameters.put("service", TRICKY);
        parameters.put("version", "2.0.0-\u00fc\"\\");
        parameters.put("target", "prod \"eu\"");
        parameters.putArray("changes").add(TRICKY).add("").add("\\").add("\"");
        return parameters;
    }

    @Test
    void deploymentApprovalWritesValidJsonForAnyParameterValue() {
        ObjectNode parameters = trickyDeployment();

        JsonNode result = run("bash", "deploy_approval.sh", Json.write(parameters)).json();

        JsonNode plan = result.get("deployment_plan");
        assertThat(plan.get("service").asString()).isEqualTo(TRICKY);
        assertThat(plan.get("version").asString()).isEqualTo("2.0.0-\u00fc\"\\");
        assertThat(plan.get("changes")).isEqualTo(parameters.get("changes"));
        assertThat(result.get("__inquiry").get("prompt").asString())
                .isEqualTo("Approve deployment of " + TRICKY + " v2.0.0-\u00fc\"\\ to prod \"eu\"?");
    }

    @Test
    void theApproverIsThePacksSettingNeverTheRequesters(@TempDir Path packs) throws IOException {
        Path actions = packWithSettings(packs, "{\"deploy_approver_id\": 12, \"security_lead_id\": 9}");
        for (Map.Entry<String, String> version : Map.of("bash", "deploy_approval.sh", "python3",
                "deploy_approval_python.py", "node", "deploy_approval_js.js").entrySet()) {
            if (!Interpreters.onPath(version.getKey())) {
                continue;
            }
            JsonNode result = run(version.getKey(), actions.resolve(version.getValue()), "{}").json();
            assertThat(result.get("__inquiry").get("assigned_to").asLong()).as(version.getValue()).isEqualTo(12);

            Run chosen = run(version.getKey(), actions.resolve(version.getValue()), "{\"approver_id\": 5}");
            assertThat(chosen.exitCode()).as(version.getValue()).isEqualTo(2);
            assertThat(chosen.stderr()).as(version.getValue()).contains("parameter approver_id is not taken");
        }
        assertThat(run("bash", actions.resolve("firewall_review.sh"), "{}").json().get("__inquiry")
                .get("assigned_to").asLong()).isEqualTo(9);
        Run chosen = run("bash", actions.resolve("firewall_review.sh"), "{\"security_lead_id\": 5}");
        assertThat(chosen.exitCode()).isEqualTo(2);
        assertThat(chosen.stderr()).contains("parameter security_lead_id is not taken");

        packWithSettings(packs, "{\"deploy_approver_id\": \"bob\"}");
        assertThat(run("bash", actions.resolve("deploy_approval.sh"), "{}").exitCode()).isEqualTo(2);
    }

    /** A copy of the examples pack under {@code packs} with {@code settings} as its settings.json; its actions. */
    static Path packWithSettings(Path packs, String settings) throws IOException {
        Path pack = packs.resolve("examples");
        try (var files = java.nio.file.Files.walk(ACTIONS.getParent())) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = pack.resolve(ACTIONS.getParent().relativize(file).toString());
                if (java.nio.file.Files.isDirectory(file)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        java.nio.file.Files.writeString(pack.resolve("settings.json"), settings);
        return pack.resolve("actions");
    }

    @Test
    void valuesLongerThanTheReadersWindowComeThroughIntact() {
        ObjectNode parameters = Json.object();
        parameters.put("padding", " ".repeat(5000));
        parameters.put("service", "ab\"\\{[".repeat(3000) + "\u00e9");
        ArrayNode changes = parameters.putArray("changes");
        for (int i = 0; i < 500; i++) {
            changes.add("change " + i + " \"quoted\" ]}" + "x".repeat(i));
        }

        JsonNode plan = run("bash", "deploy_approval.sh", Json.write(parameters)).json().get("deployment_plan");

        assertThat(plan.get("service")).isEqualTo(parameters.get("service"));
        assertThat(plan.get("changes")).isEqualTo(changes);
    }

    @Test
    void deploymentApprovalHasDefaultsForEverything() {
        JsonNode result = run("bash", "deploy_approval.sh", "").json();

        JsonNode inquiry = result.get("__inquiry");
        assertThat(inquiry.get("prompt").asString()).isEqualTo("Approve deployment of api-service v2.5.0 to production?");
        assertThat(inquiry.has("assigned_to")).isFalse();
        assertThat(inquiry.get("timeout_seconds").asInt()).isEqualTo(1800);
        assertThat(inquiry.get("response_schema").get("required")).isEqualTo(Json.tree("[\"approved\"]"));
        assertThat(result.get("deployment_plan").get("changes")).isEqualTo(Json.tree("[]"));
    }

    @Test
    void theBashPythonAndJavaScriptDeploymentApprovalsAgree() {
        String tricky = Json.write(trickyDeployment());
        String pretty = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(
                Json.tree("{\"service\": \"shop\", \"version\": \"v1\", \"changes\": null}"));
        for (String parameters : List.of(tricky, pretty, "{}", "")) {
            JsonNode bash = run("bash", "deploy_approval.sh", parameters).json();
            if (Interpreters.onPath("python3")) {
                assertThat(run("python3", "deploy_approval_python.py", parameters).json()).isEqualTo(bash);
            }
            if (Interpreters.onPath("node")) {
                assertThat(run("node", "deploy_approval_js.js", parameters).json()).isEqualTo(bash);
            }
        }
        assumeTrue(Interpreters.onPath("python3") && Interpreters.onPath("node"), "python3 or node is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"approver_id\": \"bob\"}", "{\"approver_id\": -1}", "{\"approver_id\": 1.5}",
            "{\"service\": 7}", "{\"changes\": \"one\"}", "{\"changes\": [1]}", "[]"})
    void deploymentApprovalRefusesBadParametersWithAClearMessage(String parameters) {
        for (Map.Entry<String, String> version : Map.of("bash", "deploy_approval.sh", "python3",
                "deploy_approval_python.py", "node", "deploy_approval_js.js").entrySet()) {
            if (!Interpreters.onPath(version.getKey())) {
                continue;
            }
            Run run = run(version.getKey(), version.getValue(), parameters);
            assertThat(run.exitCode()).as(version.getValue()).isEqualTo(2);
            assertThat(run.stderr()).as(version.getValue()).containsPattern("^(parameter |the parameters )");
        }
    }

    @Test
    void dataImportReportsAnomaliesWithTheOffendingValuesIntact() {
        ObjectNode parameters = Json.object();
        parameters.put("source", TRICKY);
        ArrayNode records = parameters.putArray("records");
        records.addObject().put("id", 1).put("email", "ann@example.com").put("amount", 10);
        records.addObject().put("id", 2).put("email", TRICKY).put("amount", 20);
        records.addObject().put("id", 2).put("email", "bob@example.com").put("amount", 1e12);
        records.addObject().put("id", "three").put("email", "carl@example.com").put("amount", "ten");
        records.add("not a record");

        JsonNode result = run("bash", "data_import.sh", Json.write(parameters)).json();

        assertThat(result.get("__inquiry").get("prompt").asString()).isEqualTo("Found 6 anomalies. Continue import?");
        assertThat(result.get("anomalies")).extracting(a -> a.get("record_index").asInt() + " " + a.get("field")
                .asString()).containsExactly("1 email", "2 id", "2 amount", "3 id", "3 amount", "4 record");
        assertThat(result.get("anomalies").get(0).get("value").asString()).isEqualTo(TRICKY);
        assertThat(result.get("anomalies").get(2).get("value").asDouble()).isEqualTo(1e12);
        assertThat(result.get("import_summary").get("source").asString()).isEqualTo(TRICKY);
        assertThat(result.get("import_summary").get("records_with_anomalies").asInt()).isEqualTo(4);
        assertThat(result.get("__inquiry").get("response_schema").get("properties").get("exclude_records")
                .get("items").get("maximum").asInt()).isEqualTo(4);
    }

    @Test
    void dataImportComparesAmountsExactly() {
        String records = "{\"max_amount\": 100, \"records\": [" + String.join(", ",
                record(1, "100"), record(2, "100.0"), record(3, "1e2"), record(4, "100.001"), record(5, "1.01e2"),
                record(6, "99999999999999999999"), record(7, "-0.0"), record(8, "-1e-9"), record(9, "0.5e-300")) + "]}";

        JsonNode result = run("bash", "data_import.sh", records).json();

        assertThat(result.get("anomalies")).extracting(a -> a.get("id").asInt() + ": " + a.get("issue").asString())
                .containsExactly("4: the amount is above max_amount (100)", "5: the amount is above max_amount (100)",
                        "6: the amount is above max_amount (100)", "8: the amount is negative");
    }

    @Test
    void dataImportWithCleanRecordsImportsThem() {
        JsonNode result = run("bash", "data_import.sh", "{\"records\": [" + record(1, "5") + "]}").json();

        assertThat(result.has("__inquiry")).isFalse();
        assertThat(result.get("message").asString()).isEqualTo("Imported 1 record from import: no anomalies");
    }

    @Test
    void firewallReviewKeepsTrickyRuleTextIntact() {
        ObjectNode parameters = Json.object();
        parameters.put("firewall", TRICKY);
        ArrayNode rules = parameters.putArray("rules");
        rules.addObject().put("action", "allow").put("port", "3389").put("source", "any").put("description", TRICKY);
        rules.addObject().put("action", "allow").put("port", 8080).put("source", TRICKY);

        JsonNode result = run("bash", "firewall_review.sh", Json.write(parameters)).json();

        assertThat(result.get("proposed_rules")).isEqualTo(rules);
        assertThat(result.get("impact_analysis").get("firewall").asString()).isEqualTo(TRICKY);
        assertThat(result.get("impact_analysis").get("findings")).extracting(f -> f.get("summary").asString())
                .containsExactly("allows rdp on port 3389/tcp from anywhere (any)",
                        "allows port 8080/tcp from " + TRICKY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"port\": 70000}", "{\"port\": \"22-21\"}", "{\"action\": \"drop\"}",
            "{\"protocol\": \"sctp\"}", "{\"source\": 10}", "\"allow all\""})
    void firewallReviewRefusesMalformedRules(String rule) {
        Run run = run("bash", "firewall_review.sh", "{\"rules\": [" + rule + "]}");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).startsWith("rule 0");
    }

    private static String record(int id, String amount) {
        return "{\"id\": " + id + ", \"email\": \"r" + id + "@example.com\", \"amount\": " + amount + "}";
    }
}
