package io.attune.api.ui;

import io.attune.model.rest.UiConfig;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Tells the web UI (static files under {@code /app}) where the notifier's WebSocket is:
 * {@code ATTUNE_NOTIFIER_PUBLIC_URL} when set, else the host the browser used for this page on the notifier's default
 * port.
 */
@RestController
@Tag(name = "web UI")
public class UiConfigController {
    static final int NOTIFIER_DEFAULT_PORT = 8081;

    private final String notifierUrl;

    public UiConfigController(@Value("${attune.ui.notifier-url:}") String notifierUrl) {
        this.notifierUrl = notifierUrl.trim();
    }

    @GetMapping("/app/config.json")
    @Operation(summary = "The web UI's configuration (public): the notifier's WebSocket URL")
    public UiConfig config(HttpServletRequest request) {
        return new UiConfig(notifierUrl.isEmpty() ? sameHostAs(request) : notifierUrl);
    }

    private static String sameHostAs(HttpServletRequest request) {
        return UriComponentsBuilder.newInstance()
                .scheme(request.isSecure() ? "wss" : "ws")
                .host(request.getServerName())
                .port(NOTIFIER_DEFAULT_PORT)
                .path("/ws")
                .toUriString();
    }
}
