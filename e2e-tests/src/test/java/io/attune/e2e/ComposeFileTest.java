package io.attune.e2e;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine is at hand to run docker-compose.yml, so this checks what can be checked without one: the file is
 * valid under the Compose Specification's JSON Schema, every build context and Dockerfile exists, and the services
 * are configured as the contract says.
 */
class ComposeFileTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static JsonNode compose;

    @BeforeAll
    static void readComposeFile() throws IOException {
        compose = YAMLMapper.builder().build().readTree(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    @Test
    void isValidUnderTheComposeSpecification() throws IOException {
        try (InputStream schemaText = getClass().getResourceAsStream("/compose-spec/compose-spec.json")) {
            ObjectNode schemaNode = (ObjectNode) YAMLMapper.builder().build().readTree(schemaText);
            stripDraft4Ids(schemaNode);
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09).getSchema(schemaNode);
            List<Error> errors = schema.validate(compose);
            assertThat(errors).as("violations of the Compose Specification").isEmpty();
        }
    }

    @Test
    void everyBuildContextAndDockerfileExists() {
        List<String> built = new ArrayList<>();
        for (Map.Entry<String, JsonNode> service : compose.get("services").properties()) {
            JsonNode build = service.getValue().get("build");
            if (build == null) {
                continue;
            }
            Path context = ROOT.resolve(build.isString() ? build.asString() : build.path("context").asString(".")).normalize();
            Path dockerfile = context.resolve(build.path("dockerfile").asString("Dockerfile"));
            assertThat(context).as("build context of %s", service.getKey()).isDirectory();
            assertThat(dockerfile).as("Dockerfile of %s", service.getKey()).isRegularFile();
            assertThat(readQuietly(dockerfile)).as("%s builds its own jar", service.getKey())
                    .containsPattern("-pl [a-z-]+-service")
                    .contains("ENTRYPOINT");
            built.add(service.getKey());
        }
        assertThat(built).containsExactlyInAnyOrder("api", "executor", "notifier", "worker");
    }

    @Test
    void runsTheContractTopology() {
        JsonNode services = compose.get("services");
        assertThat(services.get("rabbitmq").get("image").asString()).contains("management");
        assertThat(services.get("executor").path("deploy").path("replicas").asInt()).isEqualTo(2);
        for (String name : List.of("postgres", "rabbitmq", "api", "executor", "notifier", "worker")) {
            assertThat(services.get(name).has("healthcheck")).as("%s has a health check", name).isTrue();
        }
        for (String name : List.of("api", "executor", "notifier", "worker")) {
            JsonNode environment = services.get(name).get("environment");
            assertThat(environment.has("ATTUNE_DB_URL") && environment.has("ATTUNE_AMQP_URL")
                    && environment.has("SERVER_PORT")).as("%s is configured by CONTRACT §6", name).isTrue();
            assertThat(services.get(name).path("depends_on").path("postgres").path("condition").asString())
                    .isEqualTo("service_healthy");
        }
        assertThat(services.get("api").get("environment").has("ATTUNE_JWT_SECRET")).isTrue();
        assertThat(services.get("notifier").get("environment").has("ATTUNE_JWT_SECRET")).isTrue();
        assertThat(services.get("api").get("environment").has("ATTUNE_ADMIN_PASSWORD")).isTrue();
    }

    @Test
    void dockerfilesCopyTheJarTheirModuleBuilds() {
        Pattern copy = Pattern.compile("COPY --from=build /src/([a-z-]+)/target/([a-z-]+)\\.jar");
        for (String module : List.of("api-service", "executor-service", "notifier-service", "worker-service")) {
            Matcher m = copy.matcher(readQuietly(ROOT.resolve(module).resolve("Dockerfile")));
            assertThat(m.find()).as("%s/Dockerfile copies a jar", module).isTrue();
            assertThat(m.group(1)).isEqualTo(module);
            assertThat(m.group(2)).isEqualTo(module);
        }
    }

    /** This revision of the schema still carries draft-04 {@code id} labels (no rules) that 2019-09 no longer knows. */
    private static void stripDraft4Ids(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.path("id").isString()) {
                object.remove("id");
            }
            object.properties().forEach(e -> stripDraft4Ids(e.getValue()));
        } else if (node.isArray()) {
            node.forEach(ComposeFileTest::stripDraft4Ids);
        }
    }

    private static String readQuietly(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
