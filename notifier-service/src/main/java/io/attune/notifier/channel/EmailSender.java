package io.attune.notifier.channel;

import io.attune.core.channel.ChannelConfig;
import io.attune.core.channel.ChannelSender;
import io.attune.core.channel.Delivery;
import io.attune.core.channel.DeliveryOutcome;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Email channels: one message per approver (the delivery's recipient), with the prompt, the context and the links,
 * as plain text and HTML. SMTP comes from {@code ATTUNE_SMTP_URL} and the sender address from
 * {@code ATTUNE_MAIL_FROM}; without them the sender says it is unavailable, and its deliveries wait for a notifier
 * that has them (given up with the reason at the end of their retry window).
 */
@Component
public class EmailSender implements ChannelSender {
    private static final Logger log = LoggerFactory.getLogger(EmailSender.class);

    private final JavaMailSenderImpl mail;
    private final String from;
    private final String unavailable;

    public EmailSender(ChannelSettings settings) {
        JavaMailSenderImpl built = null;
        String reason = null;
        if (settings.smtpUrl().isEmpty()) {
            reason = "no SMTP server is configured on the notifier (ATTUNE_SMTP_URL)";
        } else if (settings.mailFrom().isEmpty()) {
            reason = "no sender address is configured on the notifier (ATTUNE_MAIL_FROM)";
        } else {
            try {
                built = SmtpUrl.sender(settings.smtpUrl(), settings.timeout());
                log.info("Email channels send through {} as {}", SmtpUrl.redacted(settings.smtpUrl()),
                        settings.mailFrom());
            } catch (IllegalStateException e) {
                reason = e.getMessage();
            }
        }
        this.mail = built;
        this.from = settings.mailFrom();
        this.unavailable = reason;
        if (reason != null) {
            log.info("Email channels cannot send: {}", reason);
        }
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    @Override
    public DeliveryOutcome send(ChannelConfig channel, Delivery delivery) {
        if (delivery.recipient() == null) {
            return DeliveryOutcome.notSent("no recipient address");
        }
        MailContent.Mail content = MailContent.of(delivery.message(), channel.text("subject_prefix"));
        try {
            MimeMessage message = mail.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
            helper.setFrom(from);
            helper.setTo(delivery.recipient());
            helper.setSubject(content.subject());
            helper.setText(content.text(), content.html());
            // lets a mail system tell a repeated try of the same delivery from a new message
            message.setHeader("X-Attune-Message-Id", delivery.messageId());
            mail.send(message);
            return DeliveryOutcome.delivered(null);
        } catch (MailParseException | MailPreparationException e) {
            return DeliveryOutcome.failed(null, "the message cannot be made: " + e.getMessage());
        } catch (MailException e) {
            return DeliveryOutcome.retry(null, "SMTP: " + e.getMessage());
        } catch (jakarta.mail.MessagingException e) {
            return DeliveryOutcome.failed(null, "the message cannot be made: " + e.getMessage());
        }
    }
}
