package io.attune.cli;

import io.attune.cli.audit.AuditCommand;
import io.attune.cli.auth.LoginCommand;
import io.attune.cli.auth.LogoutCommand;
import io.attune.cli.auth.WhoamiCommand;
import io.attune.cli.client.CredentialStore;
import io.attune.cli.client.Refused;
import io.attune.cli.client.Unreachable;
import io.attune.cli.inquiry.InquiryCommand;
import io.attune.cli.run.RunCommand;
import io.attune.cli.ask.AskCommand;
import io.attune.cli.term.ConsoleTerminal;
import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.time.Clock;

/** {@code attune}: the suite's command line. Every command is a subcommand; this only routes and reports. */
@Command(name = "attune", mixinStandardHelpOptions = true, versionProvider = Attune.Version.class,
        description = "Answer and follow Attune inquiries from a terminal or a script.",
        subcommands = {LoginCommand.class, LogoutCommand.class, WhoamiCommand.class, InquiryCommand.class,
                RunCommand.class, AskCommand.class, AuditCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  attune login --url http://localhost:8080 --user ada",
                "  attune inquiry list --status pending --mine",
                "  attune inquiry respond 7",
                "  attune inquiry respond 7 --set approved=true --set comments=LGTM -o json",
                "  attune run examples.deploy_approval --param service=billing --wait",
                "  attune ask --prompt 'Deploy to production?' --assign 5 --timeout 3600 --wait",
                "",
                "Exit codes: 0 done, 1 refused by the server (or not logged in), 2 usage,",
                "3 server unreachable, 4 run --wait: the execution did not complete,",
                "5/6/7 ask --wait: rejected / timed out / cancelled. More: docs/cli.md"})
public class Attune implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    public static void main(String[] args) {
        CliContext context = new CliContext(System.getenv(), CredentialStore.forEnvironment(System.getenv()),
                new ConsoleTerminal(), Clock.systemUTC());
        System.exit(commandLine(context).execute(args));
    }

    /** The whole command line, wired to {@code context}; {@code execute(args)} returns the exit code. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine commandLine = new CommandLine(new Attune(), new Factory(context));
        commandLine.setExecutionExceptionHandler(Attune::report);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setUsageHelpAutoWidth(true);
        // @file.json is ours (--data, --params), not picocli's argument files
        commandLine.setExpandAtFiles(false);
        return commandLine;
    }

    /** A refusal, an unreachable server or a usage mistake found while running: a message and its exit code. */
    private static int report(Exception exception, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        boolean json = wantsJson(parsed);
        int exitCode;
        ObjectNode body;
        if (exception instanceof Refused refused) {
            exitCode = ExitCodes.REFUSED;
            body = refused.toJson();
            err.println("error: " + refused.getMessage() + statusOf(refused));
            for (ErrorDetail detail : refused.details()) {
                err.println("  " + (detail.path().isEmpty() ? "(the whole answer)" : detail.path()) + ": "
                        + detail.message());
            }
            if (refused.status() == 401 && !refused.isLocal()
                    && !(commandLine.getCommand() instanceof LoginCommand)) {
                err.println("The server refused your token (expired, revoked or from another server): "
                        + "run `attune login` again.");
            }
        } else if (exception instanceof Unreachable unreachable) {
            exitCode = ExitCodes.UNREACHABLE;
            body = error(unreachable.getMessage(), "UNREACHABLE");
            err.println("error: " + unreachable.getMessage());
        } else if (exception instanceof UsageException usage) {
            exitCode = ExitCodes.USAGE;
            body = error(usage.getMessage(), "USAGE");
            err.println("error: " + usage.getMessage());
        } else {
            exitCode = ExitCodes.REFUSED;
            body = error(String.valueOf(exception), "CLIENT_ERROR");
            err.println("error: " + exception);
        }
        if (json) {
            commandLine.getOut().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(body));
            commandLine.getOut().flush();
        }
        err.flush();
        return exitCode;
    }

    /** Whether the command that failed was given {@code -o json} (the option belongs to the innermost command). */
    private static boolean wantsJson(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult command = parsed; command != null; command = command.subcommand()) {
            if (command.hasMatchedOption("--output")) {
                return command.matchedOptionValue("--output", CommonOptions.Format.text) == CommonOptions.Format.json;
            }
        }
        return false;
    }

    private static String statusOf(Refused refused) {
        return refused.code() == null || refused.isLocal() ? "" : " (" + refused.status() + " " + refused.code() + ")";
    }

    private static ObjectNode error(String message, String code) {
        ObjectNode body = Json.object();
        body.put("error", message);
        body.put("code", code);
        return body;
    }

    /** Gives commands that want it the {@link CliContext}; everything else as picocli would. */
    private record Factory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> withContext = type.getDeclaredConstructor(CliContext.class);
                withContext.setAccessible(true);
                return withContext.newInstance(context);
            } catch (NoSuchMethodException plain) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Attune.class.getPackage().getImplementationVersion();
            return new String[]{"attune " + (version == null ? "(development build)" : version)};
        }
    }
}
