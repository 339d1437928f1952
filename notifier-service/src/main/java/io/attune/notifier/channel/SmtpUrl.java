package io.attune.notifier.channel;

import org.springframework.mail.javamail.JavaMailSenderImpl;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

/**
 * {@code ATTUNE_SMTP_URL}: {@code smtp://user:pass@host:port} (plain, upgraded with STARTTLS when the server offers it)
 * or {@code smtps://…} (TLS from the start); user and password URL-encoded, both optional; port 25 / 465 by default.
 */
final class SmtpUrl {
    private SmtpUrl() {
    }

    static JavaMailSenderImpl sender(String url, Duration timeout) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("ATTUNE_SMTP_URL is not a URL (smtp://user:pass@host:port)");
        }
        String scheme = uri.getScheme();
        if (!"smtp".equals(scheme) && !"smtps".equals(scheme) || uri.getHost() == null) {
            throw new IllegalStateException("ATTUNE_SMTP_URL must be smtp://user:pass@host:port or smtps://…");
        }
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setProtocol(scheme);
        sender.setHost(uri.getHost());
        sender.setPort(uri.getPort() > 0 ? uri.getPort() : "smtps".equals(scheme) ? 465 : 25);
        sender.setDefaultEncoding("UTF-8");
        Properties properties = new Properties();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            sender.setUsername(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                sender.setPassword(decode(userInfo.substring(colon + 1)));
            }
            properties.put("mail." + scheme + ".auth", "true");
        }
        String millis = Long.toString(timeout.toMillis());
        properties.put("mail." + scheme + ".connectiontimeout", millis);
        properties.put("mail." + scheme + ".timeout", millis);
        properties.put("mail." + scheme + ".writetimeout", millis);
        if ("smtp".equals(scheme)) {
            properties.put("mail.smtp.starttls.enable", "true");
        }
        sender.setJavaMailProperties(properties);
        return sender;
    }

    /** The URL without its password, for logs and statuses. */
    static String redacted(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "(not a URL)";
        }
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
