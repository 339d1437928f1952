package io.attune.cli.inquiry;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "inquiry", aliases = "inquiries", mixinStandardHelpOptions = true,
        description = "List, show, answer, cancel and watch inquiries.",
        subcommands = {ListCommand.class, ShowCommand.class, RespondCommand.class, CancelCommand.class,
                WatchCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  attune inquiry list --status pending --mine",
                "  attune inquiry show 7",
                "  attune inquiry respond 7",
                "  attune inquiry respond --all --mine --set approved=true --yes",
                "  attune inquiry watch --mine"})
public class InquiryCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: list, show, respond, "
                + "cancel or watch");
    }
}
