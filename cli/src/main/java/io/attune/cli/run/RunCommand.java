package io.attune.cli.run;

import io.attune.cli.ApiCommand;
import io.attune.cli.CliContext;
import io.attune.cli.ExitCodes;
import io.attune.cli.UsageException;
import io.attune.cli.client.ApiClient;
import io.attune.cli.client.Refused;
import io.attune.cli.inquiry.InquiryPrompt;
import io.attune.cli.render.ContextView;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.rest.CreateExecutionRequest;
import io.attune.model.rest.ExecutionView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start an action (POST /api/v1/executions) and, with --wait, follow it to its end.",
                "--param key=value gives a string; key:=<json> a number, boolean, list or object. When the "
                        + "execution pauses on an inquiry you may answer and you are at a terminal, it offers to "
                        + "answer it right there; otherwise it says which inquiry waits and keeps following.",
                "Exit code with --wait: 0 completed, 4 failed, timed out or cancelled."},
        footerHeading = "%nExamples:%n",
        footer = {"  attune run examples.deploy_approval --param service=billing --wait",
                "  attune run examples.data_import --param max_amount:=5000 --wait",
                "  attune run examples.deploy_approval --params '{\"approver_id\": 5}' -o json | jq .data.id"})
public class RunCommand extends ApiCommand {
    private static final Duration POLL = Duration.ofMillis(500);

    @Parameters(paramLabel = "PACK.ACTION", description = "the action, e.g. examples.deploy_approval")
    String actionRef;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "a parameter (key:=json for non-strings)")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--params", paramLabel = "JSON|@FILE", description = "every parameter as a JSON object (--param "
            + "applies on top)")
    String parametersJson;

    @Option(names = {"-w", "--wait"}, description = "follow the execution until it ends")
    boolean await;

    public RunCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() throws InterruptedException {
        ApiClient client = client();
        JsonNode created = client.post("/api/v1/executions", new CreateExecutionRequest(actionRef, parameters()));
        long id = created.path("data").path("id").asLong();
        if (!await) {
            if (json()) {
                printJson(created);
            } else {
                out().printf("Execution %d requested (%s). Follow it with: attune run … --wait, or watch its "
                        + "inquiries with: attune inquiry watch --execution %d%n", id, actionRef, id);
                out().flush();
            }
            return ExitCodes.DONE;
        }
        JsonNode finished = follow(client, id);
        ExecutionView execution = Json.convert(finished, ExecutionView.class);
        if (json()) {
            ObjectNode body = Json.object();
            body.set("data", finished);
            printJson(body);
        } else {
            out().printf("Execution %d %s.%n", id, execution.status().wire());
            if (execution.result() != null && !execution.result().isNull()) {
                out().println("Result");
                out().print(ContextView.render(execution.result(), "  "));
            }
            out().flush();
        }
        return execution.status() == ExecutionStatus.COMPLETED ? ExitCodes.DONE : ExitCodes.NOT_COMPLETED;
    }

    /** Polls until the execution is final; offers to answer each inquiry it pauses on, once. */
    private JsonNode follow(ApiClient client, long id) throws InterruptedException {
        err().println("[execution " + id + " requested]");
        err().flush();
        String lastStatus = "requested";
        Set<Long> offered = new HashSet<>();
        boolean toldHidden = false;
        InquiryPrompt prompt = new InquiryPrompt(client, context, out(), err(), myId());
        while (true) {
            JsonNode execution = client.get("/api/v1/executions/" + id).path("data");
            String status = execution.path("status").asString();
            if (!status.equals(lastStatus)) {
                err().println("[execution " + id + " " + status + "]");
                err().flush();
                lastStatus = status;
            }
            if (ExecutionStatus.fromWire(status).isFinal()) {
                return execution;
            }
            if (status.equals("paused")) {
                JsonNode pending = client.get("/api/v1/inquiries?status=pending&execution=" + id).path("data");
                if (pending.isEmpty() && !toldHidden) {
                    // someone else's inquiry is invisible to us; what the action asked is in its result
                    JsonNode asked = execution.path("result").path("__inquiry");
                    JsonNode assignee = asked.path("assigned_to");
                    err().printf("[paused on an inquiry for %s: \"%s\" — not one you may answer; waiting]%n",
                            assignee.isIntegralNumber() ? "#" + assignee.asLong() : assignee.toString(),
                            asked.path("prompt").asString(""));
                    err().flush();
                    toldHidden = true;
                }
                for (JsonNode inquiry : pending) {
                    long inquiryId = inquiry.path("id").asLong();
                    if (offered.add(inquiryId)) {
                        try {
                            prompt.offer(inquiryId, !json());
                        } catch (Refused refused) {
                            err().println("[inquiry " + inquiryId + ": " + refused.getMessage() + "]");
                            err().flush();
                        }
                    }
                }
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private JsonNode parameters() {
        ObjectNode all = Json.object();
        if (parametersJson != null) {
            JsonNode given = readJson(parametersJson);
            if (!given.isObject()) {
                throw new UsageException("--params: a JSON object is needed");
            }
            all.setAll((ObjectNode) given);
        }
        for (String parameter : parameters) {
            int equals = parameter.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--param " + parameter + ": expected key=value (or key:=json)");
            }
            boolean raw = parameter.charAt(equals - 1) == ':';
            String key = parameter.substring(0, raw ? equals - 1 : equals);
            String value = parameter.substring(equals + 1);
            if (raw) {
                try {
                    all.set(key, Json.tree(value));
                } catch (RuntimeException e) {
                    throw new UsageException("--param " + key + ":=…: not valid JSON");
                }
            } else {
                all.put(key, value);
            }
        }
        return all;
    }

    private static JsonNode readJson(String value) {
        String text = value;
        try {
            if (value.equals("@-")) {
                text = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } else if (value.startsWith("@")) {
                text = Files.readString(Path.of(value.substring(1)));
            }
            return Json.tree(text);
        } catch (IOException e) {
            throw new UsageException(value + ": cannot read it (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            throw new UsageException("--params: not valid JSON");
        }
    }
}
