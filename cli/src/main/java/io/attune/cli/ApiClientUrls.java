package io.attune.cli;

import java.util.Locale;

/** Server URLs compared the way a person means them: case of scheme and host and a trailing slash do not matter. */
final class ApiClientUrls {
    private ApiClientUrls() {
    }

    static String normalise(String url) {
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        int path = trimmed.indexOf('/', trimmed.indexOf("://") + 3);
        return path < 0 ? trimmed.toLowerCase(Locale.ROOT)
                : trimmed.substring(0, path).toLowerCase(Locale.ROOT) + trimmed.substring(path);
    }
}
