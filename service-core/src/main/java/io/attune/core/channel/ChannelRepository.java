package io.attune.core.channel;

import io.attune.core.JsonColumns;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

import static io.attune.core.JsonColumns.instant;

/** {@code attune.channel}: the channels admins manage (docs/channels.md). */
@Repository
public class ChannelRepository {
    private static final String COLUMNS = "id, type, name, config::text AS config, filters::text AS filters, enabled, "
            + "start_after_event, created, updated";
    private static final RowMapper<Channel> ROW = (rs, n) -> new Channel(rs.getLong("id"), rs.getString("type"),
            rs.getString("name"), JsonColumns.json(rs, "config"), JsonColumns.json(rs, "filters"),
            rs.getBoolean("enabled"), rs.getLong("start_after_event"), instant(rs, "created"), instant(rs, "updated"));

    private final JdbcClient jdbc;

    public ChannelRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Channel> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.channel WHERE id = ?").param(id).query(ROW).optional();
    }

    public Optional<Channel> lock(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.channel WHERE id = ? FOR UPDATE").param(id).query(ROW)
                .optional();
    }

    public Optional<Channel> findByName(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.channel WHERE name = ?").param(name).query(ROW).optional();
    }

    public List<Channel> page(int limit, long offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.channel ORDER BY id LIMIT ? OFFSET ?")
                .params(limit, offset).query(ROW).list();
    }

    public long count() {
        return jdbc.sql("SELECT count(*) FROM attune.channel").query(Long.class).single();
    }

    /** Every enabled channel (the fan-out reads them once per batch of events). */
    public List<Channel> enabled() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.channel WHERE enabled ORDER BY id").query(ROW).list();
    }

    public List<Channel> ofType(String type) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.channel WHERE type = ? ORDER BY id").param(type)
                .query(ROW).list();
    }

    /** A new channel, told about events stored after this moment only. */
    public long create(String type, String name, JsonNode config, JsonNode filters, boolean enabled, Long createdBy) {
        return jdbc.sql("INSERT INTO attune.channel (type, name, config, filters, enabled, created_by, "
                        + "start_after_event) VALUES (?, ?, ?::jsonb, ?::jsonb, ?, ?, "
                        + "(SELECT coalesce(max(id), 0) FROM attune.event)) RETURNING id")
                .params(type, name, JsonColumns.text(config), JsonColumns.text(filters), enabled, createdBy)
                .query(Long.class).single();
    }

    public void update(long id, String name, JsonNode config, JsonNode filters, boolean enabled) {
        jdbc.sql("UPDATE attune.channel SET name = ?, config = ?::jsonb, filters = ?::jsonb, enabled = ? WHERE id = ?")
                .params(name, JsonColumns.text(config), JsonColumns.text(filters), enabled, id).update();
    }

    public void delete(long id) {
        jdbc.sql("DELETE FROM attune.channel WHERE id = ?").param(id).update();
    }
}
