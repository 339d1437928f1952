package io.attune.e2e.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The web UI's files straight from api-service's sources, served over HTTP (ES modules do not load from file://),
 * plus one empty page to mount forms on: for testing the UI's modules in a browser without the services.
 */
final class StaticFiles implements AutoCloseable {
    static final Path ROOT = Path.of("..", "api-service", "src", "main", "resources", "static").toAbsolutePath()
            .normalize();
    static final String TEST_PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>form test</title>
            <link rel="stylesheet" href="/app/styles.css"></head>
            <body><main class="page"><form id="host" novalidate></form></main></body></html>""";
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript", "css", "text/css",
            "html", "text/html", "svg", "image/svg+xml", "json", "application/json");

    private final HttpServer server;

    private StaticFiles(HttpServer server) {
        this.server = server;
    }

    static StaticFiles serve() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", StaticFiles::handle);
            server.start();
            return new StaticFiles(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body;
        String type;
        if (path.equals("/test.html")) {
            body = TEST_PAGE.getBytes(StandardCharsets.UTF_8);
            type = "text/html";
        } else {
            Path file = ROOT.resolve(path.substring(1)).normalize();
            if (!file.startsWith(ROOT) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            body = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
        }
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
