package io.attune.executor;

import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ATTUNE_MANAGEMENT_PORT}: the whole actuator moves to a port of its own, on the loopback interface, where it
 * answers without a token; the service's own port no longer serves it.
 */
@SpringBootTest(classes = ExecutorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "ATTUNE_MANAGEMENT_PORT=0")
class ManagementPortTest extends ExecutorIntegrationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;

    @Test
    void theManagementPortServesEverythingWithoutATokenAndOnlyOnLoopback() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        HttpResponse<String> metrics = get(managementPort, "/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("attune_inquiries_opened_total");
        HttpResponse<String> health = get(managementPort, "/actuator/health");
        assertThat(Json.tree(health.body()).path("components").path("db").path("status").asString()).isEqualTo("UP");

        assertThat(get(port, "/actuator/health").statusCode()).as("moved off the service's port").isEqualTo(404);
        assertThat(get(port, "/actuator/prometheus").statusCode()).as("and never for strangers there").isEqualTo(401);

        Optional<InetAddress> outside = NetworkInterface.networkInterfaces().filter(this::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).findFirst();
        if (outside.isPresent()) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(outside.get(), managementPort), 2000);
                }
            }).as("bound to 127.0.0.1 only").isInstanceOf(ConnectException.class);
        }
    }

    private boolean up(NetworkInterface network) {
        try {
            return network.isUp();
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
