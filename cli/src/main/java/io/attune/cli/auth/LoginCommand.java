package io.attune.cli.auth;

import io.attune.cli.ApiCommand;
import io.attune.cli.CliContext;
import io.attune.cli.UsageException;
import io.attune.cli.client.ApiClient;
import io.attune.cli.client.Credentials;
import io.attune.model.json.Json;
import io.attune.model.rest.LoginRequest;
import io.attune.model.rest.TokenResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Log in to an api-service and keep the token for the next commands.",
                "The password is asked without echo (or read from stdin with --password-stdin). The token is kept "
                        + "in $XDG_CONFIG_HOME/attune/credentials.json (~/.config/attune/ by default), readable by "
                        + "you alone (0600). ATTUNE_URL and ATTUNE_TOKEN override what is kept."},
        footerHeading = "%nExamples:%n",
        footer = {"  attune login          # asks for the server, the login and the password",
                "  attune login --url http://localhost:8080 --user ada",
                "  printf '%s\\n' \"$PASSWORD\" | attune login --url https://attune.example.com --user ci --password-stdin"})
public class LoginCommand extends ApiCommand {
    static final String DEFAULT_URL = "http://localhost:8080";

    @Option(names = {"-u", "--user"}, paramLabel = "LOGIN", description = "the login (asked when missing)")
    String login;

    @Option(names = "--password-stdin", description = "read the password from the first line of stdin (for scripts)")
    boolean passwordFromStdin;

    public LoginCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        String url = serverUrl();
        if (url == null) {
            url = ask("Server URL [" + DEFAULT_URL + "]: ", DEFAULT_URL);
        }
        String user = login != null ? login : ask("Login: ", null);
        char[] password = password();
        TokenResponse token;
        try {
            ApiClient anonymous = new ApiClient(url, null);
            token = Json.convert(data(anonymous.post("/auth/login", new LoginRequest(user, new String(password)))),
                    TokenResponse.class);
        } finally {
            Arrays.fill(password, '\0');
        }
        Instant expires = context.clock().instant().plusSeconds(token.expiresIn());
        context.credentials().save(new Credentials(url, token.accessToken(), expires, token.user()));
        if (json()) {
            ObjectNode result = Json.object();
            result.put("url", url);
            result.set("user", Json.mapper().valueToTree(token.user()));
            result.put("expires_at", expires.toString());
            result.put("credentials_file", context.credentials().file().toString());
            printJson(result);
        } else {
            out().printf("Logged in to %s as %s (%s, id %d). The token is kept in %s until %s.%n", url,
                    token.user().displayName(), token.user().login(), token.user().id(), context.credentials().file(),
                    expires);
            out().flush();
        }
        return 0;
    }

    private char[] password() {
        if (passwordFromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null) {
                    throw new UsageException("--password-stdin: stdin is empty");
                }
                return line.toCharArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!context.terminal().interactive()) {
            throw new UsageException("no terminal to ask the password on: use --password-stdin");
        }
        char[] typed = context.terminal().readSecret("Password: ");
        if (typed == null) {
            throw new UsageException("no password given");
        }
        return typed;
    }

    private String ask(String prompt, String fallback) {
        if (!context.terminal().interactive()) {
            if (fallback != null) {
                return fallback;
            }
            throw new UsageException("no terminal to ask on: give --user (and --url)");
        }
        String typed = context.terminal().readLine(prompt);
        if (typed == null) {
            throw new UsageException("input ended");
        }
        typed = typed.trim();
        if (typed.isEmpty()) {
            if (fallback == null) {
                throw new UsageException("an answer is needed");
            }
            return fallback;
        }
        return typed;
    }
}
