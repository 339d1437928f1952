package io.attune.core.audit;

/**
 * What an audit entry is about: an inquiry, an identity, a group or a channel, and which one. An inquiry's id is
 * also kept in the trail's {@code inquiry} column, so that its history is read by index.
 */
public record AuditSubject(String type, String id) {
    public static final String INQUIRY = "inquiry";
    public static final String IDENTITY = "identity";
    public static final String GROUP = "group";
    public static final String CHANNEL = "channel";
    /** An API token for a machine (created, revoked): docs/security.md#api-tokens. */
    public static final String API_TOKEN = "api_token";

    public AuditSubject {
        if (type == null || !type.matches("[a-z][a-z_]{0,31}")) {
            throw new IllegalArgumentException("entity type must be lower-case letters: " + type);
        }
        if (id == null || id.isEmpty() || id.length() > 200) {
            throw new IllegalArgumentException("entity id must be 1 to 200 characters");
        }
    }

    public static AuditSubject inquiry(long id) {
        return new AuditSubject(INQUIRY, Long.toString(id));
    }

    public static AuditSubject identity(long id) {
        return new AuditSubject(IDENTITY, Long.toString(id));
    }

    public static AuditSubject group(String name) {
        return new AuditSubject(GROUP, name);
    }

    public static AuditSubject channel(long id) {
        return new AuditSubject(CHANNEL, Long.toString(id));
    }

    boolean isInquiry() {
        return INQUIRY.equals(type);
    }
}
