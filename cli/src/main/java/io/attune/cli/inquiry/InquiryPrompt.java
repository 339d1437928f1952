package io.attune.cli.inquiry;

import io.attune.cli.CliContext;
import io.attune.cli.client.ApiClient;
import io.attune.model.rest.InquiryView;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What {@code run --wait} does when its execution pauses on an inquiry: if the caller may answer it and sits at a
 * terminal, shows it and offers to answer right there; otherwise says which inquiry waits and how to answer it.
 */
public final class InquiryPrompt {
    private final ApiClient client;
    private final CliContext context;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Long me;

    public InquiryPrompt(ApiClient client, CliContext context, PrintWriter out, PrintWriter err, Long me) {
        this.client = client;
        this.context = context;
        this.out = out;
        this.err = err;
        this.me = me;
    }

    /** {@code mayAsk}: false when stdout is for a script (-o json), so nothing but the result is printed there. */
    public void offer(long inquiryId, boolean mayAsk) {
        InquiryDetails details = InquiryDetails.fetch(client, inquiryId);
        InquiryView inquiry = details.view();
        // a group's member may answer too: the server decides, this only chooses whether to offer the form
        boolean mine = inquiry.assignedTo() == null || inquiry.assignedTo().users().contains(me)
                || !inquiry.assignedTo().groups().isEmpty();
        if (!mine || !mayAsk || !context.terminal().interactive()) {
            err.printf("[paused on inquiry %d for %s: \"%s\" — answer it with: attune inquiry respond %d]%n",
                    inquiryId, Display.assignee(inquiry.assignedTo(), me), inquiry.prompt(), inquiryId);
            err.flush();
            return;
        }
        out.println();
        ShowCommand.print(details, me, context, out);
        out.println();
        out.flush();
        String typed = context.terminal().readLine("Answer inquiry " + inquiryId + " now? [Y/n] ");
        if (typed != null && typed.trim().toLowerCase(Locale.ROOT).startsWith("n")) {
            err.printf("[waiting for inquiry %d: answer it with: attune inquiry respond %d]%n", inquiryId, inquiryId);
            err.flush();
            return;
        }
        new Responder(client).answerInteractively(inquiry, context.terminal());
        out.printf("Inquiry %d answered.%n", inquiryId);
        out.flush();
    }
}
