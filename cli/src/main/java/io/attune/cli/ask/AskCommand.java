package io.attune.cli.ask;

import io.attune.cli.ApiCommand;
import io.attune.cli.CliContext;
import io.attune.cli.ExitCodes;
import io.attune.cli.UsageException;
import io.attune.cli.client.ApiClient;
import io.attune.cli.client.Refused;
import io.attune.cli.client.Unreachable;
import io.attune.cli.render.ContextView;
import io.attune.model.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Ask a person from a script or a pipeline (POST /api/v1/inquiries) and, with --wait, wait "
                + "for the decision (GET /api/v1/inquiries/{id}?wait=60, again and again).",
                "Without --schema the question is a yes/no approval: {approved: boolean, comments: string}. An "
                        + "answer whose --decision-field (default /approved) is false counts as rejected.",
                "Exit codes with --wait: 0 approved (or answered), 5 rejected, 6 timed out, 7 cancelled; "
                        + "1 refused, 2 usage, 3 unreachable."},
        footerHeading = "%nExamples:%n",
        footer = {"  attune ask --prompt 'Deploy billing 2.5.0 to production?' --assign 5 --timeout 3600 --wait",
                "  attune ask --prompt 'Import these records?' --context @plan.json --wait -o json | jq .data.response",
                "  attune ask --prompt 'Rotate the key?' --assign group:sre --field approvals_required:=2 --wait",
                "  attune ask --prompt 'Which region?' --schema '{\"type\":\"object\",\"properties\":"
                        + "{\"region\":{\"enum\":[\"eu\",\"us\"]}}}' --decision-field '' --wait"})
public class AskCommand extends ApiCommand {
    /** The seconds each long poll asks for (the server's maximum). */
    static final int WAIT_SECONDS = 60;
    private static final int MAX_UNREACHABLE = 10;
    static final String APPROVAL_SCHEMA = """
            {"type": "object", "required": ["approved"],
             "properties": {"approved": {"type": "boolean", "title": "Approve?"},
                            "comments": {"type": "string", "title": "Comments"}}}""";

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "the question (at most 4 KiB)")
    String prompt;

    @Option(names = "--schema", paramLabel = "JSON|@FILE", description = "the answer's JSON Schema (default: a yes/no "
            + "approval with comments)")
    String schema;

    @Option(names = "--assign", paramLabel = "ID|user:ID|group:NAME", description = "who may answer (repeat for "
            + "several); default: anyone who may see it")
    List<String> assignees = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "seconds until it times out")
    Long timeoutSeconds;

    @Option(names = "--context", paramLabel = "JSON|@FILE|@-", description = "what the approver needs to decide "
            + "(a JSON object: a plan, a diff summary, links)")
    String contextJson;

    @Option(names = "--field", paramLabel = "KEY:=JSON", description = "any other field of the request, e.g. "
            + "approvals_required:=2, allow_self_approval:=true")
    List<String> fields = new ArrayList<>();

    @Option(names = "--callback-url", paramLabel = "URL", description = "also POST the decision here, signed")
    String callbackUrl;

    @Option(names = "--callback-secret", paramLabel = "whsec_…", description = "the callback's Standard Webhooks "
            + "secret (default: ATTUNE_CALLBACK_SECRET)")
    String callbackSecret;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "the same key asks only once (a retried "
            + "pipeline step finds its inquiry); default: a new one per run")
    String idempotencyKey;

    @Option(names = "--decision-field", paramLabel = "POINTER", defaultValue = "/approved",
            description = "the JSON pointer into the answer that says yes or no: false there is a rejection "
                    + "(exit 5); '' to treat every answer as approval (default: /approved)")
    String decisionField;

    @Option(names = {"-w", "--wait"}, description = "wait for the decision, and exit with what it was")
    boolean await;

    public AskCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() throws InterruptedException {
        JsonPointer decision = decisionPointer();
        ObjectNode request = request();
        ApiClient client = client();
        String key = idempotencyKey != null ? idempotencyKey : "attune-ask-" + UUID.randomUUID();
        JsonNode created = postWithRetries(client, request, key);
        JsonNode inquiry = created.path("data");
        long id = inquiry.path("id").asLong();
        if (!await) {
            if (json()) {
                printJson(created);
            } else {
                out().printf("Inquiry %d asked (execution %d): %s%nWait for it with: attune ask … --wait, or "
                        + "curl '…/api/v1/inquiries/%d?wait=60'%n", id, inquiry.path("execution").asLong(),
                        inquiry.path("prompt").asString(), id);
                out().flush();
            }
            return ExitCodes.DONE;
        }
        err().printf("[inquiry %d asked: waiting for an answer%s]%n", id, inquiry.path("timeout_at").isNull() ? ""
                : " until " + inquiry.path("timeout_at").asString());
        err().flush();
        JsonNode decided = waitForDecision(client, id);
        Outcome outcome = Outcome.of(decided, decision);
        if (json()) {
            ObjectNode body = Json.object();
            body.set("data", decided);
            body.put("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
            printJson(body);
        } else {
            printText(decided, outcome);
        }
        return outcome.exitCode;
    }

    /** What the decision was, for the exit code. */
    enum Outcome {
        APPROVED(ExitCodes.DONE), REJECTED(ExitCodes.REJECTED), TIMEOUT(ExitCodes.TIMED_OUT),
        CANCELLED(ExitCodes.CANCELLED);

        final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        static Outcome of(JsonNode inquiry, JsonPointer decision) {
            return switch (inquiry.path("status").asString()) {
                case "timeout" -> TIMEOUT;
                case "cancelled" -> CANCELLED;
                default -> decision != null && inquiry.path("response").at(decision).isBoolean()
                        && !inquiry.path("response").at(decision).booleanValue() ? REJECTED : APPROVED;
            };
        }
    }

    /** Long polls until the inquiry is no longer pending; outages and "come back later" are waited out. */
    private JsonNode waitForDecision(ApiClient client, long id) throws InterruptedException {
        int unreachable = 0;
        while (true) {
            try {
                JsonNode inquiry = client.get("/api/v1/inquiries/" + id + "?wait=" + WAIT_SECONDS).path("data");
                unreachable = 0;
                if (!inquiry.path("status").asString().equals("pending")) {
                    return inquiry;
                }
            } catch (Unreachable e) {
                if (++unreachable > MAX_UNREACHABLE) {
                    throw e;
                }
                err().println("[" + e.getMessage() + "; trying again]");
                err().flush();
                Thread.sleep(Math.min(30_000L, 1_000L << Math.min(unreachable, 5)));
            } catch (Refused refused) {
                if (refused.status() != 429 && refused.status() != 503) {
                    throw refused;
                }
                Thread.sleep(2_000);
            }
        }
    }

    /** The POST, repeated with the same Idempotency-Key when the server could not be reached: it asks only once. */
    private JsonNode postWithRetries(ApiClient client, ObjectNode request, String key) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.post("/api/v1/inquiries", request, Map.of("Idempotency-Key", key));
            } catch (Unreachable e) {
                if (attempt >= 3) {
                    throw e;
                }
                Thread.sleep(1_000L * attempt);
            }
        }
    }

    private void printText(JsonNode inquiry, Outcome outcome) {
        long id = inquiry.path("id").asLong();
        switch (outcome) {
            case TIMEOUT -> out().printf("Inquiry %d timed out at %s: nobody answered.%n", id,
                    inquiry.path("timeout_at").asString());
            case CANCELLED -> out().printf("Inquiry %d was cancelled.%n", id);
            default -> {
                JsonNode by = inquiry.path("responded_by");
                out().printf("Inquiry %d %s by %s at %s.%n", id, outcome == Outcome.REJECTED ? "rejected" : "answered",
                        by.isIntegralNumber() ? "#" + by.asLong() : "someone", inquiry.path("responded_at").asString());
                out().println("Answer");
                out().print(ContextView.render(inquiry.path("response"), "  "));
            }
        }
        out().flush();
    }

    private JsonPointer decisionPointer() {
        if (decisionField == null || decisionField.isEmpty()) {
            return null;
        }
        try {
            return JsonPointer.compile(decisionField);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--decision-field: not a JSON pointer (e.g. /approved): " + decisionField);
        }
    }

    ObjectNode request() {
        ObjectNode request = Json.object();
        request.put("prompt", prompt);
        request.set("response_schema", schema == null ? Json.tree(APPROVAL_SCHEMA) : readJson("--schema", schema));
        if (!assignees.isEmpty()) {
            List<JsonNode> who = assignees.stream().map(AskCommand::assignee).toList();
            if (who.size() == 1) {
                request.set("assigned_to", who.get(0));
            } else {
                ArrayNode list = request.putArray("assigned_to");
                who.forEach(list::add);
            }
        }
        if (timeoutSeconds != null) {
            if (timeoutSeconds <= 0) {
                throw new UsageException("--timeout: a positive number of seconds");
            }
            request.put("timeout_seconds", timeoutSeconds);
        }
        for (String field : fields) {
            int at = field.indexOf(":=");
            if (at <= 0) {
                throw new UsageException("--field " + field + ": expected key:=<json>, e.g. approvals_required:=2");
            }
            try {
                request.set(field.substring(0, at), Json.tree(field.substring(at + 2)));
            } catch (RuntimeException e) {
                throw new UsageException("--field " + field.substring(0, at) + ":=…: not valid JSON");
            }
        }
        if (contextJson != null) {
            JsonNode given = readJson("--context", contextJson);
            if (!given.isObject()) {
                throw new UsageException("--context: a JSON object is needed");
            }
            request.set("context", given);
        }
        String secret = callbackSecret != null ? callbackSecret : context.variable("ATTUNE_CALLBACK_SECRET");
        if (callbackUrl != null) {
            if (secret == null) {
                throw new UsageException("--callback-url needs --callback-secret (or ATTUNE_CALLBACK_SECRET)");
            }
            ObjectNode callback = request.putObject("callback");
            callback.put("url", callbackUrl);
            callback.put("secret", secret);
        }
        return request;
    }

    /** {@code 5} or {@code user:5} an identity, {@code group:sre} a group. */
    static JsonNode assignee(String value) {
        if (value.matches("[0-9]{1,18}")) {
            return Json.mapper().getNodeFactory().numberNode(Long.parseLong(value));
        }
        ObjectNode one = Json.object();
        if (value.startsWith("user:") && value.substring(5).matches("[0-9]{1,18}")) {
            one.put("user", Long.parseLong(value.substring(5)));
        } else if (value.startsWith("group:") && value.length() > 6) {
            one.put("group", value.substring(6));
        } else {
            throw new UsageException("--assign " + value + ": an identity id (5, user:5) or group:NAME");
        }
        return one;
    }

    private static JsonNode readJson(String option, String value) {
        String text = value;
        try {
            if (value.equals("@-")) {
                text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } else if (value.startsWith("@")) {
                text = Files.readString(Path.of(value.substring(1)));
            }
            return Json.tree(text);
        } catch (IOException e) {
            throw new UsageException(option + " " + value + ": cannot read it (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            throw new UsageException(option + ": not valid JSON");
        }
    }
}
