package io.attune.core;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** A bare service made of the core alone, for testing what the services share. */
@SpringBootApplication
@Import(CoreConfiguration.class)
public class CoreTestApplication {
}
