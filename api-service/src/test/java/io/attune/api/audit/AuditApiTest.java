package io.attune.api.audit;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.audit.AuditVerification;
import io.attune.model.audit.CanonicalJson;
import io.attune.model.audit.VerifyExport;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/v1/audit, /audit/verify and /audit/export over what the inquiry endpoints recorded. */
class AuditApiTest extends ApiIntegrationTest {
    @TempDir
    Path dir;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    /** Three inquiries: one answered, one cancelled, one left pending: five entries. */
    String decisions() {
        Identity ada = identity();
        Identity admin = admin();
        Inquiry answered = openInquiry(ada.id());
        assertThat(api().post("/api/v1/inquiries/" + answered.id() + "/respond", token(ada),
                "{\"response\": {\"approved\": true, \"comments\": \"ship it\"}}").status()).isEqualTo(200);
        Inquiry cancelled = openInquiry(null);
        assertThat(api().post("/api/v1/inquiries/" + cancelled.id() + "/cancel", token(admin), "").status())
                .isEqualTo(200);
        openInquiry(ada.id());
        return token(admin);
    }

    @Test
    void pagesThroughEveryEntryOldestFirst() {
        String admin = decisions();
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        for (int pages = 0; pages < 100; pages++) {
            Response page = api().get("/api/v1/audit?per_page=2&after=" + after, admin);
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.json().get("data").forEach(all::add);
            if (page.json().get("next_after").isNull()) {
                break;
            }
            after = page.json().get("next_after").asLong();
        }
        long total = jdbc.sql("SELECT count(*) FROM attune.inquiry_audit").query(Long.class).single();
        assertThat(all).hasSize((int) total);
        assertThat(all).extracting(e -> e.get("id").asLong()).isSorted().doesNotHaveDuplicates();
        assertThat(all).extracting(e -> e.get("seq").asLong()).isSorted();
        JsonNode responded = all.stream().filter(e -> e.get("action").asString().equals("responded")).findFirst()
                .orElseThrow();
        assertThat(responded.propertyNames()).containsExactlyInAnyOrder("id", "seq", "entity_type", "entity_id",
                "action", "actor", "actor_id", "occurred", "details", "hash");
        assertThat(responded.get("entity_type").asString()).isEqualTo("inquiry");
        assertThat(responded.get("details").get("response").get("comments").asString()).isEqualTo("ship it");
        assertThat(responded.get("hash").asString()).matches("[0-9a-f]{64}");
    }

    @Test
    void verifiesTheChainAndNamesTheFirstBrokenEntry() {
        String admin = decisions();
        Response verify = api().get("/api/v1/audit/verify", admin);
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.data().propertyNames()).containsExactlyInAnyOrder("entries", "head", "valid", "first_broken");
        assertThat(verify.data().get("valid").asBoolean()).isTrue();
        assertThat(verify.data().get("first_broken").isNull()).isTrue();
        long entries = jdbc.sql("SELECT count(*) FROM attune.inquiry_audit").query(Long.class).single();
        assertThat(verify.data().get("entries").asLong()).isEqualTo(entries);
        String lastHash = jdbc.sql("SELECT hash FROM attune.inquiry_audit ORDER BY seq DESC LIMIT 1")
                .query(String.class).single();
        assertThat(verify.data().get("head").asString()).isEqualTo(lastHash);

        long edited = jdbc.sql("SELECT id FROM attune.inquiry_audit WHERE action = 'responded' ORDER BY id LIMIT 1")
                .query(Long.class).single();
        jdbc.sql("UPDATE attune.inquiry_audit SET details = '{\"response\": {\"approved\": false}}' WHERE id = ?")
                .param(edited).update();
        try {
            JsonNode broken = api().get("/api/v1/audit/verify", admin).data();
            assertThat(broken.get("valid").asBoolean()).isFalse();
            assertThat(broken.get("first_broken").asLong()).isEqualTo(edited);
        } finally {
            jdbc.sql("DELETE FROM attune.inquiry_audit WHERE id >= ?").param(edited).update();
            jdbc.sql("UPDATE attune.audit_chain_head h SET seq = a.seq, hash = a.hash, last_id = a.id "
                    + "FROM (SELECT * FROM attune.inquiry_audit ORDER BY seq DESC LIMIT 1) a").update();
        }
    }

    @Test
    void theExportIsCanonicalJsonLinesThatVerifyOfflineUntilOneByteChanges() throws IOException {
        String admin = decisions();
        Response export = api().get("/api/v1/audit/export", admin);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/jsonl"));
        assertThat(export.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                d -> assertThat(d).startsWith("attachment; filename=\"attune-audit-"));
        String[] lines = export.body().split("\n");
        for (String line : lines) {
            assertThat(CanonicalJson.write(Json.tree(line))).isEqualTo(line);
        }
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, export.body(), StandardCharsets.UTF_8);
        AuditVerification offline = VerifyExport.verify(file).result();
        JsonNode online = api().get("/api/v1/audit/verify", admin).data();
        assertThat(offline.valid()).isTrue();
        assertThat(offline.entries()).isEqualTo(online.get("entries").asLong()).isEqualTo(lines.length);
        assertThat(offline.head()).isEqualTo(online.get("head").asString());

        byte[] bytes = export.body().getBytes(StandardCharsets.UTF_8);
        int inTheMiddle = bytes.length / 2;
        bytes[inTheMiddle] = (byte) (bytes[inTheMiddle] == '0' ? '1' : '0');
        Files.write(file, bytes);
        assertThat(VerifyExport.verify(file).result().valid()).isFalse();
    }

    @Test
    void creatingAnIdentityIsInTheChainWithoutItsPassword() {
        Identity admin = admin();
        Response created = api().post("/api/v1/identities", token(admin),
                "{\"login\": \"carol\", \"password\": \"carol-secret-1\", \"roles\": [\"user\"]}");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long id = created.data().get("id").asLong();
        JsonNode page = api().get("/api/v1/audit?per_page=1000", token(admin)).json().get("data");
        JsonNode entry = null;
        for (JsonNode e : page) {
            if (e.get("entity_type").asString().equals("identity") && e.get("entity_id").asString().equals("" + id)) {
                entry = e;
            }
        }
        assertThat(entry).as("the identity's entry").isNotNull();
        assertThat(entry.get("action").asString()).isEqualTo("created");
        assertThat(entry.get("actor").asString()).isEqualTo(admin.login());
        assertThat(entry.get("actor_id").asLong()).isEqualTo(admin.id());
        assertThat(entry.get("details").get("login").asString()).isEqualTo("carol");
        assertThat(entry.toString()).doesNotContain("carol-secret-1").doesNotContain("password");
        assertThat(api().get("/api/v1/audit/verify", token(admin)).data().get("valid").asBoolean()).isTrue();
    }

    @Test
    void decisionsAreAHistogramOfTimeToDecisionInPrometheus() {
        String answered = "attune_inquiry_decision_seconds_count{assigned=\"true\",outcome=\"responded\"}";
        String cancelled = "attune_inquiry_decision_seconds_count{assigned=\"false\",outcome=\"cancelled\"}";
        String fast = "attune_inquiry_decision_seconds_bucket{assigned=\"true\",outcome=\"responded\",le=\"10.0\"}";
        String admin = token(admin());
        String before = api().get("/actuator/prometheus", admin).body();
        decisions();
        String after = api().get("/actuator/prometheus", admin).body();
        assertThat(sample(after, answered) - sample(before, answered)).isEqualTo(1);
        assertThat(sample(after, cancelled) - sample(before, cancelled)).isEqualTo(1);
        // answered within a second of its creation: in the 10 s bucket
        assertThat(sample(after, fast) - sample(before, fast)).isEqualTo(1);
    }

    /** The value of one series in a Prometheus scrape; 0 when it is not there (yet). */
    private static double sample(String scrape, String series) {
        return scrape.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim())).orElse(0.0);
    }

    @Test
    void onlyAdminsReadTheTrail() {
        String user = token(identity());
        for (String path : List.of("/api/v1/audit", "/api/v1/audit/verify", "/api/v1/audit/export")) {
            assertError(api().get(path, user), 403, "FORBIDDEN");
            assertError(api().get(path, null), 401, "UNAUTHORIZED");
        }
    }

    @Test
    void badParametersAreTheClientsMistake() {
        String admin = token(admin());
        assertError(api().get("/api/v1/audit?after=-1", admin), 400, "BAD_REQUEST");
        assertError(api().get("/api/v1/audit?after=abc", admin), 400, "BAD_REQUEST");
        assertError(api().get("/api/v1/audit?per_page=0", admin), 400, "BAD_REQUEST");
    }

    @Test
    void anInquirysHistoryKeepsItsShape() {
        String admin = decisions();
        long inquiry = jdbc.sql("SELECT inquiry FROM attune.inquiry_audit WHERE action = 'responded' LIMIT 1")
                .query(Long.class).single();
        JsonNode history = api().get("/api/v1/inquiries/" + inquiry + "/history", admin).data();
        assertThat(history).extracting(e -> e.get("action").asString()).containsExactly("created", "responded");
        assertThat(history.get(0).propertyNames()).containsExactlyInAnyOrder("id", "inquiry", "action", "actor_id",
                "actor", "occurred", "details");
    }
}
