package io.attune.cli;

import io.attune.cli.client.ApiClient;
import io.attune.cli.client.Credentials;
import io.attune.cli.client.Refused;
import io.attune.cli.client.TokenClaims;
import io.attune.model.json.Json;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** A command that talks to the server: where it is, with which token, and how to print for people or scripts. */
public abstract class ApiCommand implements Callable<Integer> {
    @Mixin
    protected CommonOptions common;

    @Spec
    protected CommandSpec spec;

    protected final CliContext context;
    private ApiClient client;

    protected ApiCommand(CliContext context) {
        this.context = context;
    }

    /** The server URL: {@code --url}, else {@code ATTUNE_URL}, else the one logged in to; null when none. */
    protected String serverUrl() {
        if (common.url() != null) {
            return common.url();
        }
        if (context.variable("ATTUNE_URL") != null) {
            return context.variable("ATTUNE_URL");
        }
        return context.credentials().load().map(Credentials::url).orElse(null);
    }

    /**
     * A client with a token: {@code ATTUNE_TOKEN}, else the stored one — only for the server it was issued by, so a
     * token never travels to another server because ATTUNE_URL or --url points there.
     */
    protected ApiClient client() {
        if (client == null) {
            String url = serverUrl();
            if (url == null) {
                throw Refused.notLoggedIn(null);
            }
            String token = context.variable("ATTUNE_TOKEN");
            if (token == null) {
                token = context.credentials().load()
                        .filter(stored -> sameServer(stored.url(), url))
                        .map(Credentials::accessToken)
                        .orElseThrow(() -> Refused.notLoggedIn(url));
            }
            client = new ApiClient(url, token);
        }
        return client;
    }

    /** The caller's identity id, from the token (no round trip); null if the token does not say. */
    protected Long myId() {
        return TokenClaims.read(client().token()).map(TokenClaims::identityId).orElse(null);
    }

    protected Long requireMyId() {
        Long id = myId();
        if (id == null) {
            throw new UsageException("cannot tell who you are from the token: use --assigned-to ID instead of --mine");
        }
        return id;
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected boolean json() {
        return common.json();
    }

    protected void printJson(Object value) {
        out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        out().flush();
    }

    /** One line of JSON, for streams (watch). */
    protected void printJsonLine(Object value) {
        out().println(Json.write(value));
        out().flush();
    }

    protected static JsonNode data(JsonNode body) {
        return body.path("data");
    }

    static boolean sameServer(String a, String b) {
        return a != null && b != null && ApiClientUrls.normalise(a).equals(ApiClientUrls.normalise(b));
    }

    protected Optional<String> variable(String name) {
        return Optional.ofNullable(context.variable(name));
    }
}
