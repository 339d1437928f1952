package io.attune.api.inquiry;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Listing (filters, pagination, visibility), detail and history. */
class InquiryQueryTest extends ApiIntegrationTest {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @Test
    void pagesAreNewestFirstWithCorrectTotals() {
        Identity assignee = identity();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(openInquiry(assignee.id()).id());
        }
        String admin = token(admin());
        String filter = "/api/v1/inquiries?assigned_to=" + assignee.id();

        Response first = api().get(filter + "&per_page=3", admin);
        assertThat(first.status()).isEqualTo(200);
        JsonNode body = first.json();
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("data", "total", "page", "per_page", "pages");
        assertThat(body.get("total").asLong()).isEqualTo(7);
        assertThat(body.get("page").asInt()).isEqualTo(1);
        assertThat(body.get("per_page").asInt()).isEqualTo(3);
        assertThat(body.get("pages").asInt()).isEqualTo(3);
        assertThat(ids(body)).containsExactly(ids.get(6), ids.get(5), ids.get(4));

        JsonNode last = api().get(filter + "&per_page=3&page=3", admin).json();
        assertThat(ids(last)).containsExactly(ids.get(0));
        assertThat(last.get("total").asLong()).isEqualTo(7);

        JsonNode beyond = api().get(filter + "&per_page=3&page=9", admin).json();
        assertThat(ids(beyond)).isEmpty();
        assertThat(beyond.get("total").asLong()).isEqualTo(7);

        JsonNode defaults = api().get(filter, admin).json();
        assertThat(defaults.get("page").asInt()).isEqualTo(1);
        assertThat(defaults.get("per_page").asInt()).isEqualTo(50);
        assertThat(defaults.get("pages").asInt()).isEqualTo(1);
        assertThat(ids(defaults)).hasSize(7);

        JsonNode nothing = api().get("/api/v1/inquiries?assigned_to=" + identity().id(), admin).json();
        assertThat(nothing.get("total").asLong()).isZero();
        assertThat(nothing.get("pages").asInt()).isZero();
    }

    @Test
    void everyTotalIsTheNumberOfInquiriesTheListHolds() {
        Identity ada = identity();
        Identity bob = identity();
        Inquiry answered = openInquiry(ada.id());
        openInquiry(ada.id());
        openInquiry(bob.id());
        Inquiry cancelled = openInquiry(null);
        openInquiry(null);
        inquiryTransitions.respond(answered.id(), ada.actor(), Json.tree("{\"approved\": true}"), null);
        inquiryTransitions.cancel(cancelled.id(), admin().actor(), null);

        String admin = token(admin());
        String adas = token(ada);
        for (String token : List.of(admin, adas)) {
            for (String filter : List.of("", "status=pending", "status=responded", "status=cancelled",
                    "assigned_to=" + ada.id(), "assigned_to=" + bob.id() + "&status=pending", "assigned_to=0",
                    "execution=" + answered.execution())) {
                JsonNode first = api().get("/api/v1/inquiries?per_page=100&" + filter, token).json();
                List<Long> all = new ArrayList<>();
                for (int page = 1; page <= Math.max(first.get("pages").asInt(), 1); page++) {
                    all.addAll(ids(api().get("/api/v1/inquiries?per_page=100&page=" + page + "&" + filter, token)
                            .json()));
                }
                assertThat(first.get("total").asLong()).as(filter).isEqualTo(all.size());
            }
        }
    }

    @Test
    void anAdminsListByStatusPagesNewestFirstWithoutGapsOrRepeats() {
        for (int i = 0; i < 8; i++) {
            openInquiry(i % 2 == 0 ? null : identity().id());
        }
        String admin = token(admin());
        JsonNode whole = api().get("/api/v1/inquiries?status=pending&per_page=100", admin).json();
        List<Long> expected = ids(whole);
        assertThat(expected).hasSizeGreaterThanOrEqualTo(8).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        List<Long> paged = new ArrayList<>();
        for (int page = 1; page <= (expected.size() + 2) / 3; page++) {
            JsonNode body = api().get("/api/v1/inquiries?status=pending&per_page=3&page=" + page, admin).json();
            assertThat(body.get("total").asLong()).isEqualTo(whole.get("total").asLong());
            paged.addAll(ids(body));
        }
        assertThat(paged).isEqualTo(expected);
    }

    @Test
    void anExecutionsListSaysHowManyItHoldsOnEveryPageOfEverySize() {
        // an execution that asked five times: the list counts these only when a page does not say how many there are
        Inquiry first = openInquiry(null);
        List<Long> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add(openInquiry(null).id());
        }
        jdbc.sql("UPDATE attune.inquiry SET execution = ?, status = 'cancelled' WHERE id = ANY(?)")
                .params(first.execution(), others.toArray(Long[]::new)).update();
        String admin = token(admin());
        String list = "/api/v1/inquiries?execution=" + first.execution();
        List<Long> whole = ids(api().get(list, admin).json());
        assertThat(whole).hasSize(5).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        for (int perPage = 1; perPage <= 6; perPage++) {
            List<Long> paged = new ArrayList<>();
            int pages = (5 + perPage - 1) / perPage;
            for (int page = 1; page <= pages + 1; page++) {
                JsonNode body = api().get(list + "&per_page=" + perPage + "&page=" + page, admin).json();
                assertThat(body.get("total").asLong()).as("per_page=%d&page=%d", perPage, page).isEqualTo(5);
                assertThat(body.get("pages").asLong()).isEqualTo(pages);
                paged.addAll(ids(body));
            }
            assertThat(paged).as("per_page=%d", perPage).isEqualTo(whole);
        }
    }

    @Test
    void perPageIsCappedAtOneHundred() {
        JsonNode body = api().get("/api/v1/inquiries?per_page=500", token(admin())).json();
        assertThat(body.get("per_page").asInt()).isEqualTo(100);
    }

    @Test
    void listItemsHaveTheSeedsShape() {
        Identity assignee = identity();
        Inquiry inquiry = openInquiry(assignee.id());
        JsonNode item = api().get("/api/v1/inquiries?execution=" + inquiry.execution(), token(assignee)).json()
                .get("data").get(0);
        assertThat(item.propertyNames()).containsExactlyInAnyOrder("id", "execution", "prompt", "assigned_to",
                "status", "has_response", "timeout_at", "created");
        assertThat(item.get("id").asLong()).isEqualTo(inquiry.id());
        assertThat(item.get("execution").asLong()).isEqualTo(inquiry.execution());
        assertThat(item.get("assigned_to").asLong()).isEqualTo(assignee.id());
        assertThat(item.get("status").asString()).isEqualTo("pending");
        assertThat(item.get("has_response").asBoolean()).isFalse();
        assertThat(item.get("timeout_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    }

    @Test
    void filtersCombine() {
        Identity assignee = identity();
        Inquiry answered = openInquiry(assignee.id());
        Inquiry waiting = openInquiry(assignee.id());
        inquiryTransitions.respond(answered.id(), assignee.actor(), Json.tree("{\"approved\": true}"), null);
        String token = token(assignee);
        String base = "/api/v1/inquiries?assigned_to=" + assignee.id();

        assertThat(ids(api().get(base + "&status=responded", token).json())).containsExactly(answered.id());
        assertThat(ids(api().get(base + "&status=pending", token).json())).containsExactly(waiting.id());
        assertThat(ids(api().get(base + "&status=timeout", token).json())).isEmpty();
        assertThat(ids(api().get(base + "&status=", token).json())).containsExactly(waiting.id(), answered.id());
        assertThat(ids(api().get("/api/v1/inquiries?execution=" + waiting.execution(), token).json()))
                .containsExactly(waiting.id());
        JsonNode responded = api().get(base + "&status=responded", token).json().get("data").get(0);
        assertThat(responded.get("has_response").asBoolean()).isTrue();
    }

    @Test
    void othersInquiriesAreInvisibleEverywhere() {
        Identity ada = identity();
        Identity bob = identity();
        Inquiry forAda = openInquiry(ada.id());
        Inquiry forBob = openInquiry(bob.id());
        Inquiry forAnyone = openInquiry(null);
        String bobs = token(bob);

        List<Long> bobSees = ids(api().get("/api/v1/inquiries?per_page=100", bobs).json());
        assertThat(bobSees).contains(forBob.id(), forAnyone.id()).doesNotContain(forAda.id());
        JsonNode all = api().get("/api/v1/inquiries?per_page=100", bobs).json();
        for (JsonNode item : all.get("data")) {
            assertThat(item.get("assigned_to").isNull() || item.get("assigned_to").asLong() == bob.id()).isTrue();
        }
        JsonNode asksForAdas = api().get("/api/v1/inquiries?assigned_to=" + ada.id(), bobs).json();
        assertThat(asksForAdas.get("total").asLong()).isZero();
        assertThat(ids(api().get("/api/v1/inquiries?execution=" + forAda.execution(), bobs).json())).isEmpty();

        assertError(api().get("/api/v1/inquiries/" + forAda.id(), bobs), 404, "NOT_FOUND");
        assertError(api().get("/api/v1/inquiries/" + forAda.id() + "/history", bobs), 404, "NOT_FOUND");
        assertError(api().post("/api/v1/inquiries/" + forAda.id() + "/respond", bobs,
                "{\"response\": {\"approved\": true}}"), 404, "NOT_FOUND");
        assertThat(api().get("/api/v1/inquiries/" + forAnyone.id(), bobs).status()).isEqualTo(200);

        String admin = token(admin());
        assertThat(ids(api().get("/api/v1/inquiries?per_page=100", admin).json()))
                .contains(forAda.id(), forBob.id(), forAnyone.id());
        assertThat(api().get("/api/v1/inquiries/" + forAda.id(), admin).status()).isEqualTo(200);
    }

    @Test
    void detailHasEveryField() {
        Identity ada = identity();
        Inquiry inquiry = openInquiry(ada.id());
        Response response = api().get("/api/v1/inquiries/" + inquiry.id(), token(ada));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().propertyNames()).containsExactly("data");
        JsonNode data = response.data();
        assertThat(data.propertyNames()).containsExactlyInAnyOrder("id", "execution", "prompt", "response_schema",
                "assigned_to", "status", "response", "responded_by", "timeout_at", "responded_at", "created",
                "updated", "approvals_required", "responses", "defaulted");
        assertThat(data.get("prompt").asString()).isEqualTo("Approve deployment to production?");
        assertThat(data.get("response_schema")).isEqualTo(APPROVAL_SCHEMA);
        assertThat(data.get("response").isNull()).isTrue();
        assertThat(data.get("created").asString()).endsWith("Z");

        assertError(api().get("/api/v1/inquiries/987654321", token(ada)), 404, "NOT_FOUND");
        assertError(api().get("/api/v1/inquiries/abc", token(ada)), 400, "BAD_REQUEST");
    }

    @Test
    void historyTellsWhoDidWhatAndWhen() {
        Identity ada = identity();
        Inquiry inquiry = openInquiry(null);
        api().post("/api/v1/inquiries/" + inquiry.id() + "/respond", token(ada),
                "{\"response\": {\"approved\": false, \"comments\": \"not on a Friday\"}}");

        Response response = api().get("/api/v1/inquiries/" + inquiry.id() + "/history", token(identity()));
        assertThat(response.status()).isEqualTo(200);
        JsonNode entries = response.data();
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).get("action").asString()).isEqualTo("created");
        assertThat(entries.get(0).get("actor").asString()).isEqualTo("system");
        assertThat(entries.get(1).get("action").asString()).isEqualTo("responded");
        assertThat(entries.get(1).get("actor").asString()).isEqualTo(ada.login());
        assertThat(entries.get(1).get("actor_id").asLong()).isEqualTo(ada.id());
        assertThat(entries.get(1).get("details").get("response").get("comments").asString())
                .isEqualTo("not on a Friday");
        assertThat(entries.get(1).get("occurred").asString()).endsWith("Z");
    }

    @Test
    void badParametersAreBadRequests() {
        String token = token(identity());
        JsonNode status = assertError(api().get("/api/v1/inquiries?status=approved", token), 400, "BAD_REQUEST");
        assertThat(status.get("error").asString()).contains("pending, responded, timeout, cancelled");
        assertThat(status.get("details").get(0).get("path").asString()).isEqualTo("status");

        for (String query : List.of("page=abc", "per_page=1.5", "page=0", "per_page=0", "page=-3", "execution=abc",
                "assigned_to=me", "page=99999999999999999999")) {
            JsonNode body = assertError(api().get("/api/v1/inquiries?" + query, token), 400, "BAD_REQUEST");
            assertThat(body.get("details").get(0).get("path").asString()).isEqualTo(query.split("=")[0]);
        }
    }

    static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("data").forEach(item -> ids.add(item.get("id").asLong()));
        return ids;
    }
}
