package io.attune.testsupport;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/** Where the test broker listens; {@code kind} is container, local or embedded. */
public record AmqpEndpoint(String kind, String host, int port, String user, String password) {

    /** The URL in the form of {@code ATTUNE_AMQP_URL}. */
    public String url() {
        return url(host, port);
    }

    /** The same credentials at another address (a {@link TcpProxy} in front of the broker, say). */
    public String url(String host, int port) {
        return "amqp://" + user + ":" + password + "@" + host + ":" + port + "/";
    }

    public Connection connect() {
        try {
            ConnectionFactory factory = new ConnectionFactory();
            // host and port rather than url(): in the URI form "/" means the vhost "", not the default "/"
            factory.setHost(host);
            factory.setPort(port);
            factory.setUsername(user);
            factory.setPassword(password);
            return factory.newConnection("attune-test");
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to the test broker at " + host + ":" + port, e);
        }
    }
}
