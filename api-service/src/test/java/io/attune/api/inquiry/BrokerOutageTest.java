package io.attune.api.inquiry;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.testsupport.BrokerProbe;
import io.attune.testsupport.TcpProxy;
import io.attune.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** RabbitMQ goes away: answers are still taken, and their events go out once it is back. */
class BrokerOutageTest extends ApiIntegrationTest {
    static TcpProxy broker;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        broker = new TcpProxy(TestServices.get().amqp().host(), TestServices.get().amqp().port());
        start(registry, environment -> environment.viaAmqpProxy(broker));
    }

    @AfterAll
    static void closeProxy() {
        broker.close();
    }

    @Test
    void anAnswerWhileTheBrokerIsDownSucceedsAndItsEventIsDeliveredAfterwards() {
        Identity ada = identity();
        Inquiry warmUp = openInquiry(null);
        Inquiry inquiry = openInquiry(ada.id());
        try (BrokerProbe probe = new BrokerProbe(environment, "inquiry.responded")) {
            assertThat(api().post("/api/v1/inquiries/" + warmUp.id() + "/respond", token(ada),
                    "{\"response\": {\"approved\": false}}").status()).isEqualTo(200);
            probe.take(1, Duration.ofSeconds(10)); // the relay and the topology work

            broker.cut();
            Response response = api().post("/api/v1/inquiries/" + inquiry.id() + "/respond", token(ada),
                    "{\"response\": {\"approved\": true}}");
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            assertThat(response.data().get("status").asString()).isEqualTo("responded");
            assertThat(probe.drain(Duration.ofSeconds(2))).isEmpty();
            assertThat(api().get("/actuator/health", null).status()).isEqualTo(503);

            broker.restore();
            List<MessageEnvelope<MessagePayload>> events = probe.take(1, Duration.ofSeconds(30));
            InquiryResponded event = (InquiryResponded) events.get(0).payload();
            assertThat(event.inquiryId()).isEqualTo(inquiry.id());
            assertThat(event.respondedBy()).isEqualTo(ada.id());
            assertThat(probe.drain(Duration.ofSeconds(1))).isEmpty();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(api().get("/actuator/health", null).status()).isEqualTo(200));
        }
    }
}
