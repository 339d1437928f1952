package io.attune.notifier.channel;

import io.attune.core.channel.ChannelConfigRules;
import io.attune.core.channel.ChannelRepository;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.attune.core.execution.Execution;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.notifier.NotifierApplication;
import io.attune.notifier.NotifierIntegrationTest;
import jakarta.mail.internet.MimeMessage;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the channel tests share: channels made as the API makes them, inquiries with a secret in their schema. */
abstract class ChannelTestSupport extends NotifierIntegrationTest {
    static final JsonNode SECRET_SCHEMA = Json.tree("""
            {"type": "object", "properties": {"approved": {"type": "boolean"},
             "token": {"type": "string", "secret": true}}, "required": ["approved"]}""");

    @Autowired
    ChannelRepository channels;

    /** Each test starts without channels (a channel made by an earlier test would add deliveries of its own). */
    @org.junit.jupiter.api.BeforeEach
    void noChannels() {
        jdbc.sql("DELETE FROM attune.channel").update();
    }

    long webhookChannel(String url, String secret, JsonNode filters) {
        List<io.attune.model.rest.ApiError.ErrorDetail> problems = new java.util.ArrayList<>();
        JsonNode config = ChannelConfigRules.normalise("webhook",
                Json.convert(Map.of("url", url, "secret", secret), JsonNode.class), null, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.toString());
        }
        return channels.create("webhook", "hook-" + java.util.UUID.randomUUID(), config,
                filters == null ? Json.object() : filters, true, null);
    }

    /** An inquiry whose schema marks {@code token} secret, with a deployment plan as context. */
    Inquiry openWithSecret(Long assignedTo, String prompt) {
        Execution requested = executionTransitions.request("examples.deploy_approval", Json.object(), null, null);
        executionTransitions.markRunning(requested.id(), null);
        JsonNode result = Json.tree("""
                {"deployment_plan": {"service": "billing-api", "version": "2.5.0",
                 "steps": ["drain", "deploy", "verify"]}, "__inquiry": {}}""");
        return transactions.execute(tx -> inquiryTransitions.open(executions.lock(requested.id()).orElseThrow(),
                new InquiryRequest(prompt, SECRET_SCHEMA, assignedTo, 3600L), result, null));
    }

    List<Map<String, Object>> deliveries(long channel) {
        return jdbc.sql("SELECT id, message_id, event_type, status, attempts, last_code, last_error, recipient "
                + "FROM attune.delivery WHERE channel_id = ? ORDER BY id").param(channel).query().listOfRows();
    }

    /** A second notifier on the test's database and broker, with these {@code attune.*} settings besides. */
    static ConfigurableApplicationContext startNotifier(Map<String, String> settings) {
        Map<String, String> variables = new LinkedHashMap<>(environment.variables());
        variables.put("SERVER_PORT", "0");
        variables.put("spring.application.name", "notifier-replica");
        variables.putAll(settings);
        List<String> args = new ArrayList<>();
        variables.forEach((name, value) -> args.add("--" + name + "=" + value));
        return new SpringApplicationBuilder(NotifierApplication.class).run(args.toArray(String[]::new));
    }

    /** An SMTP server (GreenMail) with a login, as {@code smtp://mailer:p%40ss%20word@127.0.0.1:<port>} reaches it. */
    static GreenMail startSmtp() {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.setUser("attune@example.com", "mailer", "p@ss word");
        smtp.start();
        return smtp;
    }

    static String smtpUrl(GreenMail smtp) {
        return "smtp://mailer:p%40ss%20word@127.0.0.1:" + smtp.getSmtp().getPort();
    }

    /** The messages {@code smtp} received for {@code address}, in order. */
    static List<MimeMessage> received(GreenMail smtp, String address) {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            try {
                if (message.getAllRecipients()[0].toString().equals(address)) {
                    found.add(message);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }

    /** A new user with this {@code email} attribute. */
    Identity withEmail(String email) {
        Identity identity = identity(Role.USER);
        jdbc.sql("UPDATE attune.identity SET attributes = jsonb_build_object('email', ?::text) WHERE id = ?")
                .params(email, identity.id()).update();
        return identity;
    }

    List<Map<String, Object>> tries(long delivery) {
        return jdbc.sql("SELECT attempt, status, response_code, error, replica FROM attune.delivery_attempt "
                + "WHERE delivery_id = ? ORDER BY attempt").param(delivery).query().listOfRows();
    }
}
