package io.attune.api.link;

/** HTML escaping for the server-rendered pages: every value that is not markup of ours goes through {@link #esc}. */
final class Html {
    private Html() {
    }

    /** Text and attribute values alike (quotes included), so one function is right in both places. */
    static String esc(Object value) {
        String text = value == null ? "" : value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A property name as a label: {@code deployment_plan} → "Deployment plan". */
    static String humanise(String name) {
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').replace('-', ' ').trim();
        if (spaced.isEmpty()) {
            return name;
        }
        String lower = spaced.toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
