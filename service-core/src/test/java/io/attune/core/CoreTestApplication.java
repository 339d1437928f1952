package io.attune.core;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A bare service made of the core alone, for testing what the services share: its modules by auto-configuration, as
 * every service gets them (no component scan; the optional modules are switched on in application.properties).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CoreTestApplication {
}
