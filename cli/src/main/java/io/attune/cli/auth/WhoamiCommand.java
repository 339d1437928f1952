package io.attune.cli.auth;

import io.attune.cli.ApiCommand;
import io.attune.cli.CliContext;
import io.attune.cli.client.ApiClient;
import io.attune.cli.client.Credentials;
import io.attune.cli.client.TokenClaims;
import io.attune.model.json.Json;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Optional;

@Command(name = "whoami", mixinStandardHelpOptions = true,
        description = {"Who the server takes you for: GET /api/v1/me where the server has it; otherwise the token "
                + "is checked against the server and its claims (id, login, roles, expiry) are shown."},
        footerHeading = "%nExamples:%n",
        footer = {"  attune whoami", "  attune whoami -o json | jq .user.id"})
public class WhoamiCommand extends ApiCommand {

    public WhoamiCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        ApiClient client = client();
        Optional<TokenClaims> claims = TokenClaims.read(client.token());
        ObjectNode result = Json.object();
        result.put("url", client.baseUrl());
        Optional<JsonNode> me = client.getIfSupported("/api/v1/me");
        if (me.isPresent()) {
            result.set("user", data(me.get()));
            result.put("source", "server");
        } else {
            // An older server: a cheap authenticated call proves the token is accepted, the claims say the rest.
            client.get("/api/v1/inquiries?per_page=1");
            ObjectNode user = Json.object();
            claims.ifPresent(c -> {
                user.put("id", c.identityId());
                user.put("login", c.login());
                user.set("roles", Json.mapper().valueToTree(c.roles()));
            });
            context.credentials().load()
                    .filter(stored -> stored.accessToken().equals(client.token()))
                    .map(Credentials::user)
                    .ifPresent(stored -> user.put("display_name", stored.displayName()));
            result.set("user", user);
            result.put("source", "token");
        }
        claims.map(TokenClaims::expiresAt).ifPresent(expires -> result.put("expires_at", expires.toString()));
        if (json()) {
            printJson(result);
            return 0;
        }
        JsonNode user = result.path("user");
        out().printf("%s%s, id %s, roles %s%n", user.path("login").asString("?"),
                user.path("display_name").isString() ? " (" + user.path("display_name").asString() + ")" : "",
                user.path("id").asString("?"), String.join(", ", user.path("roles").valueStream()
                        .map(JsonNode::asString).toList()));
        if (user.path("groups").isArray() && !user.path("groups").isEmpty()) {
            out().println("groups " + String.join(", ", user.path("groups").valueStream().map(JsonNode::asString)
                    .toList()));
        }
        out().printf("on %s%s%n", client.baseUrl(), result.has("expires_at")
                ? ", token valid until " + result.path("expires_at").asString() : "");
        out().flush();
        return 0;
    }
}
