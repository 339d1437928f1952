package io.attune.api.ui;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI as a browser fetches it from api-service, without a token: the page, every ES module it imports (with a
 * JavaScript content type, or the browser refuses to run it), and the configuration that points it at the notifier.
 * What the pages do is tested in a real browser (e2e-tests).
 */
class WebUiTest extends ApiIntegrationTest {
    static final Path STATIC = Path.of("src/main/resources/static");
    static final Pattern IMPORT = Pattern.compile("(?m)^\\s*(?:import|export)\\b[^'\"]*?from\\s+'(\\./[^']+)'");
    static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"(app/[^\"]+)\"");

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @Test
    void thePageIsServedAtTheRootWithoutAToken() {
        Response page = api().get("/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<main id=\"main\"", "type=\"module\" src=\"app/main.js\"");
        assertThat(api().get("/index.html", null).body()).isEqualTo(page.body());
    }

    @Test
    void everyFileThePageAndItsModulesReferToIsServedWithItsType() throws IOException {
        List<String> checked = new ArrayList<>();
        Matcher references = REFERENCE.matcher(api().get("/", null).body());
        while (references.find()) {
            String path = "/" + references.group(1);
            assertServed(path);
            checked.add(path);
        }
        try (Stream<Path> modules = Files.list(STATIC.resolve("app"))) {
            for (Path module : modules.filter(path -> path.toString().endsWith(".js")).toList()) {
                assertThat(assertServed("/app/" + module.getFileName())).startsWith("text/javascript");
                Matcher imports = IMPORT.matcher(Files.readString(module));
                while (imports.find()) {
                    String target = "/app/" + imports.group(1).substring(2);
                    assertThat(assertServed(target)).as("%s imports %s", module.getFileName(), target)
                            .startsWith("text/javascript");
                    checked.add(target);
                }
            }
        }
        assertThat(checked).contains("/app/main.js", "/app/styles.css", "/app/favicon.svg", "/app/schema-form.js",
                "/app/api.js", "/app/notifications.js", "/app/inbox.js", "/app/inquiry.js");
    }

    @Test
    void theConfigurationNamesTheNotifierOnThePagesHostByDefault() {
        Response config = api().get("/app/config.json", null);
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(config.json().get("notifier_url").asString()).isEqualTo("ws://127.0.0.1:8081/ws");

        Response viaLocalhost = api().send(HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/app/config.json")).GET().build());
        assertThat(viaLocalhost.json().get("notifier_url").asString()).isEqualTo("ws://localhost:8081/ws");
    }

    @Test
    void anUnknownFileOfTheUiIsNotFound() {
        assertError(api().get("/app/nothing-here.js", null), 404, "NOT_FOUND");
    }

    private String assertServed(String path) {
        Response response = api().get(path, null);
        assertThat(response.status()).as("GET %s", path).isEqualTo(200);
        return response.headers().firstValue("Content-Type").orElse("");
    }
}
