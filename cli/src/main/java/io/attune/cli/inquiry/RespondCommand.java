package io.attune.cli.inquiry;

import io.attune.cli.ApiCommand;
import io.attune.cli.CliContext;
import io.attune.cli.ExitCodes;
import io.attune.cli.UsageException;
import io.attune.cli.client.ApiClient;
import io.attune.cli.client.Refused;
import io.attune.cli.render.TextTable;
import io.attune.cli.schema.Assignments;
import io.attune.cli.schema.Questions;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.model.rest.InquiryView;
import io.attune.model.rest.RespondRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "respond", aliases = "answer", mixinStandardHelpOptions = true,
        description = {"Answer an inquiry.",
                "Without --set or --data, the questions of its response_schema are asked at the terminal: yes/no "
                        + "for booleans, a choice for enums, typed input for numbers and text, comma-separated "
                        + "lists; * marks required ones and an empty line takes the value in brackets. When the "
                        + "server refuses the answer (422), its problems are shown by field and those are asked "
                        + "again.",
                "--set key=value is typed by the schema (approved=yes is true when approved is a boolean); "
                        + "key:=<json> takes raw JSON; nested fields are a.b=... The schema's defaults fill what is "
                        + "not set. --data takes the whole answer as JSON (or @file.json, @- for stdin); --set "
                        + "applies on top of it.",
                "--all answers every inquiry matching the filters (default: pending ones) with the same answer: "
                        + "through POST /api/v1/inquiries/bulk where the server has it, else one call each; a "
                        + "result per inquiry either way (exit 1 if any was refused)."},
        footerHeading = "%nExamples:%n",
        footer = {"  attune inquiry respond 7                      # asks the questions",
                "  attune inquiry respond 7 --set approved=true --set comments='LGTM'",
                "  attune inquiry respond 7 --data '{\"approved\": false, \"comments\": \"Friday\"}'",
                "  attune inquiry respond 7 --data @answer.json -o json",
                "  attune inquiry respond --all --mine --set approved=true --yes"})
public class RespondCommand extends ApiCommand {
    private static final int BULK_LIMIT = 100;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "the inquiry's id (or --all)")
    Long id;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "one field of the answer, typed by the schema")
    List<String> assignments = new ArrayList<>();

    @Option(names = "--data", paramLabel = "JSON|@FILE", description = "the whole answer as JSON, @file.json or @-")
    String data;

    @ArgGroup(exclusive = false, heading = "%nAnswering several (--all):%n")
    Bulk bulk;

    static class Bulk {
        @Option(names = "--all", required = true, description = "answer every inquiry the filters select")
        boolean all;

        @Option(names = "--status", paramLabel = "STATUS", defaultValue = "pending",
                description = "filter (default: pending)")
        String status;

        @Option(names = "--mine", description = "only inquiries assigned to you")
        boolean mine;

        @Option(names = "--execution", paramLabel = "ID", description = "filter: the execution's id")
        Long execution;

        @Option(names = "--assigned-to", paramLabel = "ID", description = "filter: the assignee's identity id")
        Long assignedTo;

        @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation at the terminal")
        boolean yes;
    }

    public RespondCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        if (bulk != null) {
            if (id != null) {
                throw new UsageException("give an ID or --all, not both");
            }
            return answerAll();
        }
        if (id == null) {
            throw new UsageException("which inquiry? give its ID (or --all with filters)");
        }
        ApiClient client = client();
        InquiryView inquiry = Json.convert(client.get("/api/v1/inquiries/" + id).path("data"), InquiryView.class);
        Responder responder = new Responder(client);
        JsonNode result;
        if (data != null || !assignments.isEmpty()) {
            result = responder.send(id, answer(inquiry.responseSchema()));
        } else {
            if (!context.terminal().interactive()) {
                throw new UsageException("no terminal to ask the questions on: give the answer with --set or --data");
            }
            if (inquiry.status() != InquiryStatus.PENDING) {
                throw new Refused(409, "CONFLICT", "inquiry " + id + " is " + inquiry.status().wire()
                        + ": there is nothing to answer", List.of());
            }
            ShowCommand.print(InquiryDetails.fetch(client, id), myId(), context, out());
            out().println();
            out().flush();
            result = responder.answerInteractively(inquiry, context.terminal());
        }
        if (json()) {
            printJson(result);
        } else {
            out().printf("Inquiry %d answered: %s%n", id, Responder.summary(result.path("data").path("response")));
            out().printf("Execution %d resumes with it.%n", result.path("data").path("execution").asLong());
            out().flush();
        }
        return ExitCodes.DONE;
    }

    /** The answer from --data and --set, typed by {@code schema}. */
    private JsonNode answer(JsonNode schema) {
        JsonNode base = data == null ? null : readData();
        return Assignments.apply(Questions.of(schema), base, assignments, base == null);
    }

    private JsonNode readData() {
        String text = data;
        try {
            if (data.equals("@-")) {
                text = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } else if (data.startsWith("@")) {
                text = Files.readString(Path.of(data.substring(1)));
            }
        } catch (IOException e) {
            throw new UsageException("--data " + data + ": cannot read it (" + e.getMessage() + ")");
        }
        try {
            return Json.tree(text);
        } catch (RuntimeException e) {
            throw new UsageException("--data: not valid JSON");
        }
    }

    private int answerAll() {
        if (data == null && assignments.isEmpty()) {
            throw new UsageException("--all needs the answer: --set key=value or --data");
        }
        ApiClient client = client();
        List<InquiryView> matching = matching(client);
        if (matching.isEmpty()) {
            if (json()) {
                printJson(Map.of("data", List.of()));
            } else {
                out().println("No inquiries match.");
                out().flush();
            }
            return ExitCodes.DONE;
        }
        // inquiries may ask different questions: --set is typed for each schema, one answer per schema
        Map<String, List<InquiryView>> bySchema = new LinkedHashMap<>();
        for (InquiryView inquiry : matching) {
            bySchema.computeIfAbsent(String.valueOf(inquiry.responseSchema()), k -> new ArrayList<>()).add(inquiry);
        }
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        bySchema.forEach((schema, inquiries) -> answers.put(schema, answer(inquiries.get(0).responseSchema())));
        if (!confirmed(matching, answers)) {
            out().println("Nothing sent.");
            out().flush();
            return ExitCodes.DONE;
        }
        ArrayNode results = Json.mapper().createArrayNode();
        boolean usedBulk = true;
        for (Map.Entry<String, List<InquiryView>> group : bySchema.entrySet()) {
            List<Long> ids = group.getValue().stream().map(InquiryView::id).toList();
            for (int from = 0; from < ids.size(); from += BULK_LIMIT) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + BULK_LIMIT));
                JsonNode answer = answers.get(group.getKey());
                usedBulk &= respondToAll(client, chunk, answer, results);
            }
        }
        boolean allAnswered = true;
        for (JsonNode result : results) {
            allAnswered &= result.path("status").asInt() == 200;
        }
        if (json()) {
            ObjectNode body = Json.object();
            body.set("data", results);
            body.put("bulk", usedBulk);
            printJson(body);
        } else {
            TextTable table = TextTable.of("ID", "RESULT").limit(1, 100);
            for (JsonNode result : results) {
                table.row(result.path("id").asLong(), result.path("status").asInt() == 200 ? "answered"
                        : result.path("status").asInt() + " " + result.path("error").asString("")
                        + details(result.path("details")));
            }
            out().print(table.render());
            long answered = results.valueStream().filter(r -> r.path("status").asInt() == 200).count();
            out().printf("%d of %d answered%s.%n", answered, results.size(),
                    usedBulk ? "" : " (one call each: this server has no bulk endpoint)");
            out().flush();
        }
        return allAnswered ? ExitCodes.DONE : ExitCodes.REFUSED;
    }

    /** Every inquiry the filters select (all pages), with its schema. */
    private List<InquiryView> matching(ApiClient client) {
        Map<String, Object> query = ApiClient.parameters();
        query.put("status", bulk.status == null || bulk.status.isBlank() ? null : bulk.status);
        query.put("execution", bulk.execution);
        query.put("assigned_to", bulk.mine ? requireMyId() : bulk.assignedTo);
        query.put("per_page", 100);
        List<Long> ids = new ArrayList<>();
        for (int page = 1; ; page++) {
            query.put("page", page);
            JsonNode body = client.get("/api/v1/inquiries" + ApiClient.query(query));
            body.path("data").forEach(item -> ids.add(item.path("id").asLong()));
            if (page >= body.path("pages").asInt()) {
                break;
            }
        }
        List<InquiryView> inquiries = new ArrayList<>();
        for (long inquiryId : ids) {
            try {
                inquiries.add(Json.convert(client.get("/api/v1/inquiries/" + inquiryId).path("data"),
                        InquiryView.class));
            } catch (Refused gone) {
                if (gone.status() != 404) {
                    throw gone;
                }
            }
        }
        return inquiries;
    }

    private boolean confirmed(List<InquiryView> matching, Map<String, JsonNode> answers) {
        if (bulk.yes || !context.terminal().interactive()) {
            return true;
        }
        context.terminal().say(matching.size() + " inquir" + (matching.size() == 1 ? "y" : "ies") + ": "
                + String.join(", ", matching.stream().map(i -> "#" + i.id()).toList()));
        answers.values().stream().distinct().forEach(a -> context.terminal().say("answer: " + Json.write(a)));
        String typed = context.terminal().readLine("Send? [y/N] ");
        return typed != null && typed.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y");
    }

    /** One chunk: the bulk endpoint if the server has it (true), else one call each (false). */
    private static boolean respondToAll(ApiClient client, List<Long> ids, JsonNode answer, ArrayNode results) {
        ObjectNode request = Json.object();
        request.put("action", "respond");
        request.set("ids", Json.mapper().valueToTree(ids));
        request.set("response", answer);
        var bulkAnswer = client.postIfSupported("/api/v1/inquiries/bulk", request);
        if (bulkAnswer.isPresent()) {
            bulkAnswer.get().path("data").forEach(results::add);
            return true;
        }
        for (long inquiryId : ids) {
            ObjectNode result = Json.object();
            result.put("id", inquiryId);
            try {
                client.post("/api/v1/inquiries/" + inquiryId + "/respond", new RespondRequest(answer));
                result.put("status", 200);
            } catch (Refused refused) {
                result.put("status", refused.status());
                result.put("error", refused.getMessage());
                if (!refused.details().isEmpty()) {
                    result.set("details", Json.mapper().valueToTree(refused.details()));
                }
            }
            results.add(result);
        }
        return false;
    }

    private static String details(JsonNode details) {
        if (!details.isArray() || details.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        details.forEach(d -> parts.add(d.path("path").asString("") + ": " + d.path("message").asString("")));
        return " (" + String.join("; ", parts) + ")";
    }
}
