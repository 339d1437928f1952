package io.attune.cli.auth;

import io.attune.cli.ApiCommand;
import io.attune.cli.CliContext;
import io.attune.cli.client.ApiClient;
import io.attune.cli.client.Refused;
import io.attune.model.json.Json;
import picocli.CommandLine.Command;
import tools.jackson.databind.node.ObjectNode;

import java.util.Optional;

@Command(name = "logout", mixinStandardHelpOptions = true,
        description = {"Revoke the token on the server (POST /auth/logout, where the server has it) and forget it "
                + "here.",
                "A server without /auth/logout cannot revoke tokens: the token is forgotten here and stays valid "
                        + "until it expires."},
        footerHeading = "%nExamples:%n",
        footer = {"  attune logout", "  attune logout -o json"})
public class LogoutCommand extends ApiCommand {

    public LogoutCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        // the token in use: ATTUNE_TOKEN at the chosen server, else the kept one at the server that issued it
        Optional<ApiClient> holder = context.variable("ATTUNE_TOKEN") != null && serverUrl() != null
                ? Optional.of(client())
                : context.credentials().load().map(kept -> new ApiClient(kept.url(), kept.accessToken()));
        String revoked = holder.map(LogoutCommand::revoke).orElse("not logged in");
        boolean forgotten = context.credentials().delete();
        if (json()) {
            ObjectNode result = Json.object();
            result.put("url", holder.map(ApiClient::baseUrl).orElse(null));
            result.put("revoked", revoked.equals("revoked"));
            result.put("server", revoked);
            result.put("forgotten", forgotten);
            printJson(result);
        } else {
            out().println(switch (revoked) {
                case "revoked" -> "Logged out: the server revoked the token.";
                case "already refused" -> "Logged out: the server no longer accepted the token.";
                case "unsupported" -> "Logged out here: this server cannot revoke tokens (no /auth/logout), so the "
                        + "token stays valid until it expires.";
                default -> "Not logged in.";
            });
            if (forgotten) {
                out().println("Forgotten: " + context.credentials().file() + " removed.");
            }
            if (context.variable("ATTUNE_TOKEN") != null) {
                out().println("ATTUNE_TOKEN is still set in your environment: unset it.");
            }
            out().flush();
        }
        return 0;
    }

    private static String revoke(ApiClient client) {
        try {
            return client.postIfSupported("/auth/logout", null).isPresent() ? "revoked" : "unsupported";
        } catch (Refused refused) {
            if (refused.status() == 401) {
                return "already refused";
            }
            throw refused;
        }
    }
}
