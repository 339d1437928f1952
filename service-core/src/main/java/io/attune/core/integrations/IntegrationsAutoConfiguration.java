package io.attune.core.integrations;

import io.attune.core.channel.ChannelRepository;
import io.attune.core.channel.SenderReports;
import io.attune.core.domain.DomainAutoConfiguration;
import io.attune.core.external.ExternalRequests;
import io.attune.core.link.LinkAnswers;
import io.attune.core.link.SignedLinks;
import io.attune.core.slack.SlackDecision;
import io.attune.core.slack.SlackIdentities;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * How the suite reaches people and systems outside it ({@code attune.integrations.enabled=true}: api, notifier):
 * channel configuration, signed links, Slack messages, approval requests from outside with their callbacks. Taking
 * answers back through a link or Slack is api-service's alone ({@code attune.integrations.answers=true}).
 */
@AutoConfiguration(after = DomainAutoConfiguration.class)
@ConditionalOnBooleanProperty("attune.integrations.enabled")
@Import({ChannelRepository.class, SenderReports.class, SignedLinks.class, SlackDecision.class,
        ExternalRequests.class})
public class IntegrationsAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("attune.integrations.answers")
    @Import({LinkAnswers.class, SlackIdentities.class})
    static class Answers {
    }
}
