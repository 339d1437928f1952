package io.attune.cli.inquiry;

import io.attune.cli.ApiCommand;
import io.attune.cli.CliContext;
import io.attune.cli.ExitCodes;
import io.attune.cli.UsageException;
import io.attune.cli.client.ApiClient;
import io.attune.cli.client.NotificationStream;
import io.attune.model.ws.SubscriptionFilters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Print inquiry notifications as they happen (the notifier's WebSocket), one line each; "
                + "-o json prints each notification as one JSON line.",
                "After a dropped connection it reconnects and resumes where it was (since = the last notification, "
                        + "or the subscription's position), so nothing is missed. Ctrl-C stops it.",
                "The WebSocket URL is --ws-url, else ATTUNE_WS_URL, else what the api-service tells the web UI "
                        + "(GET /app/config.json)."},
        footerHeading = "%nExamples:%n",
        footer = {"  attune inquiry watch", "  attune inquiry watch --mine --activity created",
                "  attune inquiry watch --since 1200 -o json | jq -c 'select(.activity == \"responded\")'",
                "  attune inquiry watch --inquiry 7 --count 1   # the next thing that happens to 7"})
public class WatchCommand extends ApiCommand {
    @Option(names = "--activity", paramLabel = "ACTIVITY", description = "created, responded, timeout, cancelled…")
    String activity;

    @Option(names = "--inquiry", paramLabel = "ID", description = "one inquiry")
    Long inquiry;

    @Option(names = "--execution", paramLabel = "ID", description = "one execution's inquiries")
    Long execution;

    @Option(names = "--assigned-to", paramLabel = "ID", description = "inquiries assigned to this identity id")
    Long assignedTo;

    @Option(names = "--mine", description = "inquiries assigned to you")
    boolean mine;

    @Option(names = "--since", paramLabel = "ID", description = "first replay every notification after this id")
    Long since;

    @Option(names = "--count", paramLabel = "N", description = "stop after N notifications (default: never)")
    long count;

    @Option(names = "--ws-url", paramLabel = "URL", description = "the notifier, e.g. ws://localhost:8081/ws")
    String wsUrl;

    public WatchCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (count < 0) {
            throw new UsageException("--count must be 0 or more");
        }
        ApiClient client = client();
        SubscriptionFilters filters = new SubscriptionFilters("inquiry", inquiry == null ? null : inquiry.toString(),
                activity, mine ? requireMyId() : assignedTo, execution);
        URI url = notifierUrl(client);
        Long me = myId();
        NotificationStream stream = new NotificationStream(url, client.token(), filters, since);
        err().println("Watching " + url + " (Ctrl-C to stop)");
        err().flush();
        stream.follow(new NotificationStream.Listener() {
            @Override
            public void notification(JsonNode notification) {
                if (json()) {
                    printJsonLine(notification);
                } else {
                    out().println(line(notification, me));
                    out().flush();
                }
            }

            @Override
            public void status(String message) {
                err().println("[" + message + "]");
                err().flush();
            }
        }, count);
        return ExitCodes.DONE;
    }

    private URI notifierUrl(ApiClient client) {
        String url = wsUrl != null ? wsUrl : context.variable("ATTUNE_WS_URL");
        if (url == null) {
            Optional<JsonNode> config = client.getIfSupported("/app/config.json");
            url = config.map(c -> c.path("notifier_url").asString(null)).orElse(null);
        }
        if (url == null) {
            URI api = URI.create(client.baseUrl());
            url = ("https".equals(api.getScheme()) ? "wss" : "ws") + "://" + api.getHost() + ":8081/ws";
        }
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new UsageException("not a WebSocket URL: " + url);
        }
    }

    static String line(JsonNode notification, Long me) {
        JsonNode content = notification.path("content");
        StringBuilder line = new StringBuilder()
                .append(Display.time(Instant.now())).append("  #").append(notification.path("id").asLong())
                .append("  ").append(notification.path("entity_type").asString("")).append(' ')
                .append(notification.path("entity").asString("")).append(' ')
                .append(notification.path("activity").asString(""));
        if (content.path("status").isString()
                && !content.path("status").asString().equals(notification.path("activity").asString())) {
            line.append(" · ").append(content.path("status").asString());
        }
        if (content.has("assigned_to")) {
            line.append(" · for ").append(Display.assignee(content.path("assigned_to").isNumber()
                    ? content.path("assigned_to").asLong() : null, me));
        }
        if (content.path("responded_by").isNumber()) {
            line.append(" · by #").append(content.path("responded_by").asLong());
        }
        if (content.path("cancelled_by").isNumber()) {
            line.append(" · by #").append(content.path("cancelled_by").asLong());
        }
        if (content.path("execution").isNumber()) {
            line.append(" · execution ").append(content.path("execution").asLong());
        }
        if (content.path("prompt").isString()) {
            line.append(" · ").append(content.path("prompt").asString().replaceAll("\\s+", " "));
        }
        return line.toString();
    }
}
