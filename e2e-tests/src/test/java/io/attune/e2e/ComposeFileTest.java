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
                    && environment.has("SERVER_PORT")).as("%s is configured by docs/protocol.md §6", name).isTrue();
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

    @Test
    void theBrokerAndTheDatabasePublishNoPort() {
        JsonNode services = compose.get("services");
        assertThat(services.get("rabbitmq").has("ports")).as("RabbitMQ publishes nothing (no 5672, no 15672)").isFalse();
        assertThat(services.get("postgres").has("ports")).as("Postgres publishes nothing").isFalse();
        for (Map.Entry<String, JsonNode> service : services.properties()) {
            assertThat(service.getValue().path("ports").toString()).as("ports of %s", service.getKey())
                    .doesNotContain("15672").doesNotContain("5672").doesNotContain("5432");
        }
    }

    /** Every password and secret comes from the environment, required ({@code ${NAME:?why}}), never a literal. */
    @Test
    void noCredentialIsWrittenInTheFile() {
        Pattern required = Pattern.compile("^\\$\\{[A-Z][A-Z0-9_]*:\\?[^}]+}$");
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, JsonNode> service : compose.get("services").properties()) {
            for (Map.Entry<String, JsonNode> variable : service.getValue().path("environment").properties()) {
                if (variable.getKey().matches(".*(PASSWORD|_PASS|SECRET).*")
                        || variable.getKey().equals("RABBITMQ_DEFAULT_USER")) {
                    assertThat(variable.getValue().asString()).as("%s of %s", variable.getKey(), service.getKey())
                            .matches(required);
                    checked.add(service.getKey() + "." + variable.getKey());
                }
                if (variable.getKey().equals("ATTUNE_AMQP_URL")) {
                    assertThat(variable.getValue().asString()).as("broker URL of %s", service.getKey())
                            .startsWith("amqp://${ATTUNE_AMQP_USER}:${ATTUNE_AMQP_PASSWORD}@");
                }
            }
        }
        assertThat(checked).contains("postgres.POSTGRES_PASSWORD", "rabbitmq.RABBITMQ_DEFAULT_PASS",
                "migrate.FLYWAY_PASSWORD", "api.ATTUNE_DB_PASSWORD", "api.ATTUNE_JWT_SECRET",
                "worker.ATTUNE_DB_PASSWORD", "notifier.ATTUNE_DB_PASSWORD", "executor.ATTUNE_DB_PASSWORD");
        String text = readQuietly(ROOT.resolve("docker-compose.yml"));
        assertThat(text).doesNotContain("guest").doesNotContain("attune:attune").doesNotContainPattern("PASSWORD: [a-z]");
    }

    @Test
    void eachServiceConnectsWithARoleOfItsOwnAndOnlyTheOwnerMigrates() {
        JsonNode services = compose.get("services");
        String roles = readQuietly(ROOT.resolve("deploy/postgres/roles.sql"));
        Matcher created = Pattern.compile("CREATE ROLE (\\w+) LOGIN").matcher(roles);
        List<String> loginRoles = new ArrayList<>();
        while (created.find()) {
            loginRoles.add(created.group(1));
        }
        assertThat(loginRoles).containsExactlyInAnyOrder("attune_owner", "attune_api", "attune_executor",
                "attune_notifier", "attune_worker");
        for (String name : List.of("api", "executor", "notifier", "worker")) {
            JsonNode service = services.get(name);
            assertThat(service.path("environment").path("ATTUNE_DB_USER").asString()).isEqualTo("attune_" + name);
            assertThat(service.path("environment").path("ATTUNE_DB_MIGRATE").asString()).isEqualTo("false");
            assertThat(service.path("depends_on").path("migrate").path("condition").asString())
                    .isEqualTo("service_completed_successfully");
        }
        JsonNode migrate = services.get("migrate");
        assertThat(migrate.path("environment").path("FLYWAY_USER").asString()).isEqualTo("attune_owner");
        assertThat(migrate.path("environment").path("FLYWAY_LOCATIONS").asString()).contains("/flyway/grants");
        assertThat(mountedSources(migrate)).contains("./db-migrations/src/main/resources/db/migration",
                "./deploy/postgres/grants");
        assertThat(ROOT.resolve("deploy/postgres/grants/afterMigrate.sql")).isRegularFile();
        assertThat(mountedSources(services.get("postgres"))).contains("./deploy/postgres/initdb",
                "./deploy/postgres/roles.sql");
        String init = readQuietly(ROOT.resolve("deploy/postgres/initdb/10-attune-roles.sh"));
        for (Map.Entry<String, JsonNode> variable : services.get("postgres").path("environment").properties()) {
            if (variable.getKey().startsWith("ATTUNE_")) {
                assertThat(init).as("the roles script uses %s", variable.getKey()).contains("$" + variable.getKey());
            }
        }
    }

    @Test
    void theWorkerRunsActionsAsAnUnprivilegedUser() {
        String dockerfile = readQuietly(ROOT.resolve("worker-service/Dockerfile"));
        String runtimeStage = dockerfile.substring(dockerfile.lastIndexOf("FROM "));
        assertThat(runtimeStage).as("the worker stays root so that it can drop to the action user")
                .doesNotContainPattern("(?m)^USER ");
        assertThat(runtimeStage).contains("useradd").contains("attune-action");
        assertThat(compose.get("services").get("worker").path("environment").path("ATTUNE_ACTION_USER").asString())
                .isEqualTo("attune-action");
    }

    private static List<String> mountedSources(JsonNode service) {
        List<String> sources = new ArrayList<>();
        for (JsonNode volume : service.path("volumes")) {
            String source = volume.isString() ? volume.asString().split(":")[0] : volume.path("source").asString();
            sources.add(source);
            if (source.startsWith(".")) {
                assertThat(ROOT.resolve(source).normalize()).as("mounted %s", source).exists();
            }
        }
        return sources;
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
