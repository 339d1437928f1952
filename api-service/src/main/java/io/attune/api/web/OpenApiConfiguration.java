package io.attune.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}), in the wire's snake_case. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {
    public static final String BEARER = "bearer";

    static {
        // free-form JSON (responses, schemas, parameters, results): any JSON value, not the node class's getters
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
    }

    @Bean
    OpenAPI attuneOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Attune inquiry API").version("1.0")
                        .description("Human-in-the-loop inquiries: list, read, answer and cancel them; request "
                                + "executions; manage identities. Errors are {\"error\", \"code\", \"details\"}."))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("POST /auth/login answers the access token")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** Model schemas with snake_case property names, as the suite's JSON mapper writes them. */
    @Bean
    ModelResolver snakeCaseModelResolver() {
        ObjectMapper mapper = io.swagger.v3.core.util.Json.mapper().copy()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        return new ModelResolver(mapper);
    }
}
