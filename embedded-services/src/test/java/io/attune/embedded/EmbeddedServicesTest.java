package io.attune.embedded;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedServicesTest {

    @Test
    void postgresKeepsItsDataAcrossRestartsInTheSameDirectory(@TempDir Path dataDir) throws Exception {
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir.resolve("pg"), 0)) {
            pg.createDatabaseIfMissing("attune");
            try (var c = DriverManager.getConnection(pg.jdbcUrl("attune"), pg.user(), "")) {
                c.createStatement().execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
            }
        }
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir.resolve("pg"), 0)) {
            pg.createDatabaseIfMissing("attune");
            try (var c = DriverManager.getConnection(pg.jdbcUrl("attune"), pg.user(), "")) {
                var rs = c.createStatement().executeQuery("SELECT v FROM kept");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("still here");
            }
        }
    }

    @Test
    void brokerRoutesThroughATopicExchangeWithPublisherConfirms() throws Exception {
        try (EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(0)) {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(broker.url());
            try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
                channel.exchangeDeclare("x.topic", "topic", true);
                channel.queueDeclare("q.work", true, false, false, null);
                channel.queueBind("q.work", "x.topic", "execution.*");
                channel.confirmSelect();
                channel.basicPublish("x.topic", "execution.completed",
                        new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                        "hello".getBytes(StandardCharsets.UTF_8));
                channel.basicPublish("x.topic", "inquiry.created", null, "not routed".getBytes(StandardCharsets.UTF_8));
                assertThat(channel.waitForConfirms(Duration.ofSeconds(5).toMillis())).isTrue();

                GetResponse got = channel.basicGet("q.work", false);
                assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
                channel.basicAck(got.getEnvelope().getDeliveryTag(), false);
                assertThat(channel.basicGet("q.work", true)).as("only the matching key was routed").isNull();
            }
        }
    }

    @Test
    void theBrokerCanBeLeftToItsOwnerToStop() {
        try (EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(0)) {
            assertThat(broker.stopOnlyOnClose()).as("Qpid's shutdown hook removed").isTrue();
        }
    }
}
