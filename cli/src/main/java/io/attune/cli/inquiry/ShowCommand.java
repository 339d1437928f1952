package io.attune.cli.inquiry;

import io.attune.cli.ApiCommand;
import io.attune.cli.CliContext;
import io.attune.cli.render.ContextView;
import io.attune.cli.render.TextTable;
import io.attune.cli.render.TimeLeft;
import io.attune.cli.schema.Question;
import io.attune.cli.schema.Questions;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.model.rest.AuditEntryView;
import io.attune.model.rest.InquiryView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "show", aliases = "get", mixinStandardHelpOptions = true,
        description = {"One inquiry: the prompt, the context the action reported (as text tables), the questions its "
                + "schema asks, the answer once given, and its history.",
                "-o json prints {\"inquiry\", \"context\", \"execution\", \"history\"} as the server has them."},
        footerHeading = "%nExamples:%n",
        footer = {"  attune inquiry show 7", "  attune inquiry show 7 -o json | jq .context"})
public class ShowCommand extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "the inquiry's id")
    long id;

    public ShowCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        InquiryDetails details = InquiryDetails.fetch(client(), id);
        if (json()) {
            printJson(details.toJson());
            return 0;
        }
        print(details, myId(), context, out());
        out().flush();
        return 0;
    }

    static void print(InquiryDetails details, Long me, CliContext context, PrintWriter out) {
        InquiryView inquiry = details.view();
        out.printf("Inquiry %d · %s · for %s%s%n", inquiry.id(), inquiry.status().wire(),
                Display.assignee(inquiry.assignedTo(), me), inquiry.status() == InquiryStatus.PENDING
                        ? " · " + TimeLeft.until(inquiry.timeoutAt(), context.clock().instant()) + " left" : "");
        out.println(inquiry.prompt());
        out.println();
        JsonNode execution = details.execution();
        out.printf("Execution %d%s · created %s%n", inquiry.execution(), execution == null ? ""
                        : " · " + execution.path("action_ref").asString() + " · " + execution.path("status").asString(),
                Display.time(inquiry.created()));
        JsonNode contextValue = details.context();
        if (contextValue != null) {
            out.println();
            out.println("Context");
            out.print(ContextView.render(contextValue, "  "));
        }
        out.println();
        out.println("Questions (* required)");
        for (Question question : Questions.of(inquiry.responseSchema())) {
            out.printf("  %s %s (%s)%s%s%n", question.required() ? "*" : " ", question.label(), question.hint(),
                    question.hasDefault() ? ", default " + Question.show(question.defaultValue()) : "",
                    question.description() == null ? "" : " — " + question.description());
        }
        out.println();
        out.println("Outcome: " + Display.outcome(inquiry, me));
        if (inquiry.response() != null && !inquiry.response().isNull()) {
            out.print(ContextView.render(inquiry.response(), "  "));
        }
        if (details.history() != null) {
            out.println();
            out.println("History");
            List<AuditEntryView> entries = Json.mapper().convertValue(details.history(),
                    new tools.jackson.core.type.TypeReference<List<AuditEntryView>>() {
                    });
            TextTable table = TextTable.of("WHEN", "WHAT", "WHO", "DETAILS").limit(3, 80);
            for (AuditEntryView entry : entries) {
                table.row(Display.time(entry.occurred()), entry.action(), entry.actor(),
                        Display.historyDetails(entry, me));
            }
            out.print(table.render("  "));
        }
    }
}
