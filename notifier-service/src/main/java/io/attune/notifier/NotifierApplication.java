package io.attune.notifier;

import io.attune.notifier.channel.ChannelSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Pushes inquiry notifications to WebSocket clients (docs/protocol.md §5); see docs/notifier.md. */
@SpringBootApplication
@EnableConfigurationProperties({NotifierSettings.class, ChannelSettings.class})
public class NotifierApplication {

    public static void main(String[] args) {
        SpringApplication.run(NotifierApplication.class, args);
    }
}
