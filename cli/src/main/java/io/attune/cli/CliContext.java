package io.attune.cli;

import io.attune.cli.client.CredentialStore;
import io.attune.cli.term.Terminal;

import java.time.Clock;
import java.util.Map;

/** What every command takes from its surroundings, so that tests can give it other ones. */
public record CliContext(Map<String, String> environment, CredentialStore credentials, Terminal terminal, Clock clock) {

    public String variable(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
