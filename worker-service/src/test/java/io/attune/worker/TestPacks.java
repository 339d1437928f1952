package io.attune.worker;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Where the test-only actions live (src/test/resources/test-packs) and where the bundled examples are built to. */
public final class TestPacks {
    private TestPacks() {
    }

    /** Pack {@code testing}: actions that fail, hang, flood, echo... */
    public static Path testPacks() {
        return resource("/test-packs");
    }

    /** The bundled {@code examples} pack's actions, as built into target/classes. */
    public static Path exampleActions() {
        return resource("/packs/examples/actions");
    }

    private static Path resource(String name) {
        try {
            return Path.of(TestPacks.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no " + name + " on the test classpath", e);
        }
    }
}
