package io.attune.notifier.channel;

import io.attune.model.rest.InquiryView;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may answer an inquiry, for the channels that address people (email, signed links). The one place that reads
 * {@code assigned_to} for them: when inquiries are assigned to groups or lists, only {@link #eligible} changes.
 */
@Component
public class Approvers {
    private final JdbcClient jdbc;

    public Approvers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The enabled identities that may answer {@code inquiry}: each listed user and every member of each listed group,
     * by the database's own rule ({@code attune.may_answer_inquiry}); nobody named for an unassigned one.
     */
    public List<Long> eligible(InquiryView inquiry) {
        if (inquiry.assignedTo() == null) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT i.id FROM attune.identity i
                        WHERE NOT i.disabled AND attune.may_answer_inquiry(attune.assignee_keys(CAST(? AS jsonb)), i.id)
                        ORDER BY i.id""")
                .param(inquiry.assignedTo().given().toString()).query(Long.class).list();
    }

    /** Each enabled identity of {@code ids} with an {@code email} attribute, in the given order. */
    public List<Recipient> withEmail(List<Long> ids) {
        List<Recipient> found = new ArrayList<>();
        for (Long id : ids) {
            jdbc.sql("SELECT attributes->>'email' FROM attune.identity WHERE id = ? AND NOT disabled")
                    .param(id).query(String.class).optional()
                    .filter(email -> email != null && !email.isBlank())
                    .ifPresent(email -> found.add(new Recipient(id, email.trim())));
        }
        return found;
    }

    /** Whether identity {@code id} is a member of group {@code group} (channel filters on a group). */
    public boolean inGroup(long id, String group) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM attune.group_member m JOIN attune.identity_group g "
                + "ON g.id = m.group_id WHERE m.identity_id = ? AND g.name = ?)").params(id, group)
                .query(Boolean.class).single();
    }

    public record Recipient(long id, String email) {
    }
}
