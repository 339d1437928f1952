package io.attune.cli.inquiry;

import io.attune.cli.ApiCommand;
import io.attune.cli.CliContext;
import io.attune.cli.client.ApiClient;
import io.attune.cli.render.TextTable;
import io.attune.cli.render.TimeLeft;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.model.rest.InquirySummary;
import io.attune.model.rest.PageResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;

@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = {"The inquiries you may see, newest first, with the time each has left.",
                "Filters are the API's (GET /api/v1/inquiries) and combine with AND; --mine is --assigned-to <your "
                        + "id>."},
        footerHeading = "%nExamples:%n",
        footer = {"  attune inquiry list", "  attune inquiry list --status pending --mine",
                "  attune inquiry list --execution 42 -o json | jq '.data[].id'",
                "  attune inquiry list --page 2 --per-page 20"})
public class ListCommand extends ApiCommand {
    static final TypeReference<PageResponse<InquirySummary>> PAGE = new TypeReference<>() {
    };

    @Option(names = "--status", paramLabel = "STATUS", description = "pending, responded, timeout or cancelled")
    String status;

    @Option(names = "--execution", paramLabel = "ID", description = "the execution's id")
    Long execution;

    @Option(names = "--assigned-to", paramLabel = "ID", description = "the assignee's identity id")
    Long assignedTo;

    @Option(names = "--mine", description = "only inquiries assigned to you")
    boolean mine;

    @Option(names = "--page", paramLabel = "N", description = "1-based page (default 1)")
    Integer page;

    @Option(names = "--per-page", paramLabel = "N", description = "page size (default 50, at most 100)")
    Integer perPage;

    public ListCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        ApiClient client = client();
        Map<String, Object> query = ApiClient.parameters();
        query.put("status", status);
        query.put("execution", execution);
        query.put("assigned_to", mine ? requireMyId() : assignedTo);
        query.put("page", page);
        query.put("per_page", perPage);
        JsonNode body = client.get("/api/v1/inquiries" + ApiClient.query(query));
        if (json()) {
            printJson(body);
            return 0;
        }
        PageResponse<InquirySummary> found = Json.mapper().convertValue(body, PAGE);
        if (found.data().isEmpty()) {
            out().println(found.total() == 0 ? "No inquiries." : "No inquiries on page " + found.page() + " of "
                    + found.pages() + ".");
            out().flush();
            return 0;
        }
        Long me = myId();
        Instant now = context.clock().instant();
        TextTable table = TextTable.of("ID", "STATUS", "PROMPT", "ASSIGNED", "TIME LEFT", "EXECUTION", "CREATED")
                .limit(2, 50);
        for (InquirySummary inquiry : found.data()) {
            table.row(inquiry.id(), inquiry.status().wire(), inquiry.prompt(), Display.assignee(inquiry.assignedTo(), me),
                    inquiry.status() == InquiryStatus.PENDING ? TimeLeft.until(inquiry.timeoutAt(), now) : "—",
                    inquiry.execution(), Display.time(inquiry.created()));
        }
        out().print(table.render());
        out().printf("Page %d of %d (%d inquir%s)%s%n", found.page(), found.pages(), found.total(),
                found.total() == 1 ? "y" : "ies", found.page() < found.pages() ? "; next: --page " + (found.page() + 1)
                        : "");
        out().flush();
        return 0;
    }
}
