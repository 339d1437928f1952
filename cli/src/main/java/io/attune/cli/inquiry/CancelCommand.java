package io.attune.cli.inquiry;

import io.attune.cli.ApiCommand;
import io.attune.cli.CliContext;
import io.attune.cli.ExitCodes;
import io.attune.cli.client.ApiClient;
import io.attune.cli.client.Refused;
import io.attune.cli.render.TextTable;
import io.attune.model.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancel pending inquiries and their executions (admins only).",
                "One ID: -o json prints the cancelled inquiry as the server has it. Several: a result per inquiry "
                        + "({\"data\": [{\"id\", \"status\", \"error\"?}]}), exit 1 if any was refused."},
        footerHeading = "%nExamples:%n",
        footer = {"  attune inquiry cancel 7", "  attune inquiry cancel 7 8 9 -o json"})
public class CancelCommand extends ApiCommand {
    @Parameters(paramLabel = "ID", arity = "1..*", description = "the inquiries' ids")
    List<Long> ids;

    public CancelCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        ApiClient client = client();
        if (ids.size() == 1) {
            JsonNode cancelled = client.post("/api/v1/inquiries/" + ids.get(0) + "/cancel", null);
            if (json()) {
                printJson(cancelled);
            } else {
                out().printf("Inquiry %d cancelled; execution %d is cancelled too.%n", ids.get(0),
                        cancelled.path("data").path("execution").asLong());
                out().flush();
            }
            return ExitCodes.DONE;
        }
        ArrayNode results = Json.mapper().createArrayNode();
        boolean all = true;
        for (long id : ids) {
            ObjectNode result = Json.object();
            result.put("id", id);
            try {
                client.post("/api/v1/inquiries/" + id + "/cancel", null);
                result.put("status", 200);
            } catch (Refused refused) {
                all = false;
                result.put("status", refused.status());
                result.put("error", refused.getMessage());
            }
            results.add(result);
        }
        if (json()) {
            ObjectNode body = Json.object();
            body.set("data", results);
            printJson(body);
        } else {
            TextTable table = TextTable.of("ID", "RESULT");
            results.forEach(r -> table.row(r.path("id").asLong(), r.path("status").asInt() == 200 ? "cancelled"
                    : r.path("status").asInt() + " " + r.path("error").asString("")));
            out().print(table.render());
            out().flush();
        }
        return all ? ExitCodes.DONE : ExitCodes.REFUSED;
    }
}
