package io.attune.cli;

import picocli.CommandLine.Option;

/** The options every command takes. */
public class CommonOptions {

    /** How results are printed. */
    public enum Format { text, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default, for people) or json (for scripts: the server's shapes, one document; "
                    + "JSON Lines for watch)")
    Format output = Format.text;

    @Option(names = "--url", paramLabel = "URL",
            description = "the api-service, e.g. http://localhost:8080 (default: ATTUNE_URL, else the server you "
                    + "logged in to)")
    String url;

    public boolean json() {
        return output == Format.json;
    }

    public String url() {
        return url;
    }
}
