package io.attune.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.attune.model.rest.ApiError;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
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

    /**
     * Every 4xx/5xx answer carries the contract's error body (not the operation's success shape), every
     * {@code /api/v1} call can answer 401, and every call that reads the database can answer 503.
     */
    @Bean
    OpenApiCustomizer contractErrors() {
        return openApi -> {
            ModelConverters.getInstance().readAll(ApiError.class).forEach(openApi.getComponents()::addSchemas);
            Content errorBody = new Content().addMediaType("application/json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/ApiError")));
            openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
                ApiResponses responses = operation.getResponses();
                if (path.startsWith("/api/v1")) {
                    responses.computeIfAbsent("401", code -> new ApiResponse()
                            .description("no token, or an invalid or expired one"));
                }
                responses.computeIfAbsent("503", code -> new ApiResponse().description("the database is unavailable"));
                responses.forEach((code, response) -> {
                    if (code.startsWith("4") || code.startsWith("5")) {
                        response.setContent(errorBody);
                    }
                });
            }));
        };
    }

    /** Model schemas with snake_case property names, as the suite's JSON mapper writes them. */
    @Bean
    ModelResolver snakeCaseModelResolver() {
        ObjectMapper mapper = io.swagger.v3.core.util.Json.mapper().copy()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        return new ModelResolver(mapper);
    }
}
