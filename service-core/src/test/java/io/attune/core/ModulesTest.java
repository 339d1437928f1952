package io.attune.core;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.attune.core.audit.AuditTrail;
import io.attune.core.identity.SessionGuard;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.core.security.TokenAutoConfiguration;
import io.attune.core.security.Tokens;
import io.attune.core.token.ApiTokens;
import io.attune.testsupport.AttuneTestEnvironment;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.stereotype.Component;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * service-core's modules are its auto-configurations (META-INF/spring/...AutoConfiguration.imports), each listing its
 * classes; a service gets a module it has not switched on not at all.
 */
class ModulesTest {

    @Test
    void everyComponentBelongsToAModule() throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        Set<Class<?>> registered = new HashSet<>();
        Deque<Class<?>> work = new ArrayDeque<>();
        Stream.concat(ImportCandidates.load(AutoConfiguration.class, loader).getCandidates().stream(),
                        ImportCandidates.load(ManagementContextConfiguration.class, loader).getCandidates().stream())
                .filter(name -> name.startsWith("io.attune.core."))
                .forEach(name -> work.add(load(name, loader)));
        while (!work.isEmpty()) {
            Class<?> type = work.pop();
            if (!registered.add(type)) {
                continue;
            }
            MergedAnnotations.from(type, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY).stream(Import.class)
                    .map(MergedAnnotation::synthesize)
                    .forEach(imported -> work.addAll(List.of(imported.value())));
            for (Class<?> nested : type.getDeclaredClasses()) {
                if (nested.isAnnotationPresent(Configuration.class)) {
                    work.add(nested);
                }
            }
        }
        List<Class<?>> components = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.attune.core").stream()
                .filter(c -> c.isMetaAnnotatedWith(Component.class) || c.isAnnotatedWith(Component.class))
                .filter(c -> !c.isInterface()) // a Spring Data repository is found by its own configuration
                .map(JavaClass::reflect)
                .toList();
        assertThat(components).as("the components found").contains(InquiryTransitions.class, ApiTokens.class);
        assertThat(components.stream().filter(c -> !registered.contains(c)).map(Class::getName).sorted())
                .as("components no auto-configuration lists (add each to its module's @Import)").isEmpty();
    }

    /** The notifier's switches: it checks tokens and issues none. */
    @Test
    void tokensAreCheckedWithoutBeingIssuedUnlessSwitchedOn() {
        ApplicationContextRunner tokens = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TokenAutoConfiguration.class))
                .withBean(JdbcClient.class, () -> mock(JdbcClient.class))
                .withBean(AuditTrail.class, () -> mock(AuditTrail.class))
                .withBean(SessionGuard.class, () -> mock(SessionGuard.class))
                .withBean(TransactionTemplate.class, () -> mock(TransactionTemplate.class))
                .withPropertyValues("attune.jwt.secret=" + AttuneTestEnvironment.JWT_SECRET);
        tokens.run(context -> assertThat(context).doesNotHaveBean(JwtDecoder.class).doesNotHaveBean(ApiTokens.class));
        tokens.withPropertyValues("attune.tokens.check=true").run(context -> assertThat(context)
                .hasSingleBean(JwtDecoder.class).hasSingleBean(ApiTokens.class)
                .doesNotHaveBean(JwtEncoder.class).doesNotHaveBean(Tokens.class));
        tokens.withPropertyValues("attune.tokens.check=true", "attune.tokens.issue=true").run(context ->
                assertThat(context).hasSingleBean(JwtEncoder.class).hasSingleBean(Tokens.class));
    }

    /** A service with none of the optional modules switched on, as the executor and the worker run. */
    @Nested
    @SpringBootTest(classes = CoreTestApplication.class, properties = {"spring.application.name=core-test",
            "attune.integrations.enabled=false", "attune.integrations.answers=false"})
    @DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
    class WithoutOptionalModules {
        @Autowired
        ApplicationContext context;

        @DynamicPropertySource
        static void services(DynamicPropertyRegistry registry) {
            AttuneTestEnvironment.create().register(registry);
        }

        @Test
        void getsTheDomainMessagingAndTheOutboxButNoTokensNorIntegrations() {
            for (String present : List.of("io.attune.core.inquiry.InquiryTransitions",
                    "io.attune.core.execution.ExecutionTransitions", "io.attune.core.event.Outbox",
                    "io.attune.core.messaging.Consumers")) {
                assertThat(context.getBeanNamesForType(load(present, getClass().getClassLoader())))
                        .as(present).hasSize(1);
            }
            for (String absent : List.of("org.springframework.security.oauth2.jwt.JwtDecoder",
                    "io.attune.core.security.Tokens", "io.attune.core.token.ApiTokens",
                    "io.attune.core.channel.ChannelRepository", "io.attune.core.link.SignedLinks",
                    "io.attune.core.link.LinkAnswers", "io.attune.core.slack.SlackDecision",
                    "io.attune.core.external.ExternalRequests")) {
                assertThat(context.getBeanNamesForType(load(absent, getClass().getClassLoader())))
                        .as(absent).isEmpty();
            }
        }
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("listed but missing: " + name, e);
        }
    }
}
