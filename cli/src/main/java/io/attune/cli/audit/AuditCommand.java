package io.attune.cli.audit;

import io.attune.cli.ExitCodes;
import io.attune.model.audit.ChainVerifier;
import io.attune.model.audit.VerifyExport;
import io.attune.model.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code attune audit verify FILE}: the offline check of an audit export (docs/audit.md), no server needed. */
@Command(name = "audit", mixinStandardHelpOptions = true, subcommands = AuditCommand.Verify.class,
        description = "The suite's tamper-evident audit trail.")
public class AuditCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify an export of the audit trail (GET /api/v1/audit/export) offline: every line "
                    + "canonical, every hash linked to the one before. Prints {\"entries\", \"head\", \"valid\", "
                    + "\"first_broken\"}; exit 0 when valid, 1 when not, 2 when the file cannot be read."})
    public static class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "the JSON Lines export")
        Path file;

        @Option(names = "--head", paramLabel = "HASH",
                description = "the head you kept (GET /api/v1/audit/verify): the file must end there")
        String head;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ChainVerifier verifier;
            try {
                verifier = VerifyExport.verify(file);
            } catch (IOException e) {
                err.println("cannot read " + file + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            if (head != null) {
                verifier.expectHead(head, verifier.entries(), null);
            }
            out.println(Json.write(verifier.result()));
            out.flush();
            if (verifier.problem() != null) {
                err.println("BROKEN: " + verifier.problem());
                err.flush();
                return ExitCodes.REFUSED;
            }
            err.println("OK: " + verifier.entries() + " entries, head " + verifier.head());
            err.flush();
            return ExitCodes.DONE;
        }
    }
}
