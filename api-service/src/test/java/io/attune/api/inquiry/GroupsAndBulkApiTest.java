package io.attune.api.inquiry;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.execution.Execution;
import io.attune.core.identity.GroupRepository;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.inquiry.Assignment;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Group assignment over REST (views, lists, answers) and POST /api/v1/inquiries/bulk. */
class GroupsAndBulkApiTest extends ApiIntegrationTest {
    static final String YES = "{\"approved\": true}";

    @Autowired
    GroupRepository groups;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    String group(Identity... members) {
        String name = "api-" + UUID.randomUUID().toString().substring(0, 8);
        groups.replaceMembers(groups.create(name), java.util.Arrays.stream(members).map(Identity::id).toList());
        return name;
    }

    Inquiry openFor(String assignedTo) {
        Execution execution = executions.insert("examples.deploy_approval", Json.object(), null);
        return transactions.execute(tx -> inquiryTransitions.open(executions.lock(execution.id()).orElseThrow(),
                new InquiryRequest("Approve?", APPROVAL_SCHEMA, Assignment.of(Json.tree(assignedTo)), 3600L, false,
                        List.of(), null, null, null, null), Json.tree("{\"__inquiry\": {}}"), null));
    }

    Response respond(long id, String token) {
        return api().post("/api/v1/inquiries/" + id + "/respond", token, "{\"response\": " + YES + "}");
    }

    Response bulk(String token, String body) {
        return api().post("/api/v1/inquiries/bulk", token, body);
    }

    @Test
    void aGroupsInquiryIsShownAsGivenListedForMembersAndAnsweredByOne() {
        Identity ada = identity();
        Identity bob = identity();
        Identity admin = admin();
        String sre = group(ada);
        Inquiry inquiry = openFor("{\"group\": \"" + sre + "\"}");

        JsonNode view = api().get("/api/v1/inquiries/" + inquiry.id(), token(ada)).data();
        assertThat(view.get("assigned_to").toString()).isEqualTo("{\"group\":\"" + sre + "\"}");
        JsonNode mine = api().get("/api/v1/inquiries?status=pending&assigned_to=" + ada.id(), token(ada)).json();
        assertThat(mine.get("data")).extracting(d -> d.get("id").asLong()).containsExactly(inquiry.id());
        assertThat(mine.get("total").asLong()).isEqualTo(1);
        assertThat(mine.get("data").get(0).get("assigned_to").get("group").asString()).isEqualTo(sre);

        assertThat(api().get("/api/v1/inquiries/" + inquiry.id(), token(bob)).status()).isEqualTo(404);
        assertThat(api().get("/api/v1/inquiries", token(bob)).data()).extracting(d -> d.get("id").asLong())
                .doesNotContain(inquiry.id());
        assertError(respond(inquiry.id(), token(bob)), 404, "NOT_FOUND");
        assertError(respond(inquiry.id(), token(admin)), 403, "FORBIDDEN");
        assertThat(respond(inquiry.id(), token(ada)).status()).isEqualTo(200);

        // a single user keeps the number it always had
        Inquiry forAda = openFor(Long.toString(ada.id()));
        assertThat(api().get("/api/v1/inquiries/" + forAda.id(), token(ada)).data().get("assigned_to").asLong())
                .isEqualTo(ada.id());
    }

    @Test
    void assignedToPagesThroughEveryWayOfBeingAssignedNewestFirst() {
        Identity ada = identity();
        Identity bob = identity();
        String sre = group(ada, bob);
        String ops = group(bob);
        // interleaved, so that a page mixes inquiries assigned to Ada alone and through a group or a list
        List<Long> adas = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            adas.add(openFor(Long.toString(ada.id())).id());
            adas.add(openFor("{\"group\": \"" + sre + "\"}").id());
            openFor(Long.toString(bob.id()));
            openFor("{\"group\": \"" + ops + "\"}");
            adas.add(openFor("[{\"user\": " + bob.id() + "}, {\"user\": " + ada.id() + "}]").id());
            adas.add(openFor("[{\"group\": \"" + ops + "\"}, {\"group\": \"" + sre + "\"}]").id());
            openFor("null");
        }
        Long answered = adas.remove(0);
        assertThat(respond(answered, token(ada)).status()).isEqualTo(200);
        List<Long> newestFirst = new ArrayList<>(adas);
        java.util.Collections.reverse(newestFirst);

        // Bob is in sre and listed beside Ada: he sees all of Ada's but those assigned to her alone
        List<Long> bobSees = newestFirst.stream().filter(id -> adas.indexOf(id) % 4 != 3).toList();
        for (Identity caller : List.of(admin(), ada, bob)) {
            List<Long> expected = caller == bob ? bobSees : newestFirst;
            List<Long> listed = new ArrayList<>();
            for (int page = 1; page <= 4; page++) {
                JsonNode body = api().get("/api/v1/inquiries?status=pending&per_page=3&page=" + page
                        + "&assigned_to=" + ada.id(), token(caller)).json();
                body.get("data").forEach(item -> listed.add(item.get("id").asLong()));
                assertThat(body.get("total").asLong()).isEqualTo(expected.size());
            }
            assertThat(listed).containsExactlyElementsOf(expected);
        }
        JsonNode all = api().get("/api/v1/inquiries?assigned_to=" + ada.id(), token(ada)).json();
        assertThat(all.get("total").asLong()).isEqualTo(newestFirst.size() + 1);
        assertThat(all.get("data").get(all.get("data").size() - 1).get("id").asLong()).isEqualTo(answered);
    }

    /**
     * A person's list without filters holds three kinds of inquiry (unassigned, theirs alone, theirs through a group
     * or a list), read apart and merged: every page newest first, none of anyone else's, the total exact.
     */
    @Test
    void aPersonsListPagesThroughUnassignedOwnAndGroupInquiriesNewestFirst() {
        Identity ada = identity();
        Identity bob = identity();
        String sre = group(ada);
        String ops = group(bob);
        long totalBefore = api().get("/api/v1/inquiries", token(ada)).json().get("total").asLong();
        long pendingBefore = api().get("/api/v1/inquiries?status=pending", token(ada)).json().get("total").asLong();
        List<Long> adaSees = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            adaSees.add(openFor("null").id());
            openFor(Long.toString(bob.id()));
            openFor("{\"group\": \"" + ops + "\"}");
            adaSees.add(openFor(Long.toString(ada.id())).id());
            adaSees.add(openFor("{\"group\": \"" + sre + "\"}").id());
            openFor("[{\"user\": " + bob.id() + "}, {\"group\": \"" + ops + "\"}]");
            adaSees.add(openFor("[{\"user\": " + bob.id() + "}, {\"user\": " + ada.id() + "}]").id());
        }
        // the newest of the three kinds are first: older inquiries of other tests come after them
        java.util.Collections.reverse(adaSees);
        long answered = adaSees.get(5);
        assertThat(respond(answered, token(ada)).status()).isEqualTo(200);
        List<Long> pending = adaSees.stream().filter(id -> id != answered).toList();

        for (String status : List.of("", "&status=pending")) {
            List<Long> expected = status.isEmpty() ? adaSees : pending;
            List<Long> listed = new ArrayList<>();
            long total = 0;
            for (int page = 1; listed.size() < expected.size(); page++) {
                JsonNode body = api().get("/api/v1/inquiries?per_page=5&page=" + page + status, token(ada)).json();
                body.get("data").forEach(item -> listed.add(item.get("id").asLong()));
                total = body.get("total").asLong();
            }
            assertThat(listed.subList(0, expected.size())).as(status).containsExactlyElementsOf(expected);
            assertThat(total).as(status).isEqualTo((status.isEmpty() ? totalBefore : pendingBefore)
                    + expected.size());
        }
        // Bob's list has the list naming him and the unassigned one, not sre's or Ada's alone
        JsonNode deep = api().get("/api/v1/inquiries?per_page=100&page=1", token(bob)).json();
        assertThat(deep.get("data")).extracting(d -> d.get("id").asLong())
                .contains(adaSees.get(0)).doesNotContain(adaSees.get(1), adaSees.get(2));
    }

    @Test
    void bulkDecidesEachIdAsTheSingleCallWould() {
        Identity ada = identity();
        Identity bob = identity();
        Inquiry mine = openFor(Long.toString(ada.id()));
        Inquiry listed = openFor("[{\"user\": " + ada.id() + "}, {\"user\": " + bob.id() + "}]");
        Inquiry bobs = openFor(Long.toString(bob.id()));
        Inquiry answered = openFor(Long.toString(ada.id()));
        assertThat(respond(answered.id(), token(ada)).status()).isEqualTo(200);

        Response response = bulk(token(ada), "{\"action\": \"respond\", \"ids\": [" + mine.id() + ", "
                + listed.id() + ", " + bobs.id() + ", " + answered.id() + ", 999999999], \"response\": " + YES
                + "}");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        JsonNode results = response.data();
        assertThat(results).extracting(r -> r.get("id").asLong() + ":" + r.get("status").asInt()).containsExactly(
                mine.id() + ":200", listed.id() + ":200", bobs.id() + ":404", answered.id() + ":409",
                "999999999:404");
        assertThat(results.get(3).get("error").asString()).contains("already responded");
        assertThat(results.get(0).has("error")).isFalse();

        Inquiry another = openFor(Long.toString(ada.id()));
        JsonNode invalid = bulk(token(ada), "{\"action\": \"respond\", \"ids\": [" + another.id()
                + "], \"response\": {\"approved\": \"yes\"}}").data().get(0);
        assertThat(invalid.get("status").asInt()).isEqualTo(422);
        assertThat(invalid.get("details").get(0).get("path").asString()).isEqualTo("/approved");

        JsonNode notAdmin = bulk(token(ada), "{\"action\": \"cancel\", \"ids\": [" + another.id() + "]}").data();
        assertThat(notAdmin.get(0).get("status").asInt()).isEqualTo(403);
        JsonNode cancelled = bulk(token(admin()), "{\"action\": \"cancel\", \"ids\": [" + another.id() + "]}").data();
        assertThat(cancelled.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(api().get("/api/v1/inquiries/" + another.id(), token(ada)).data().get("status").asString())
                .isEqualTo("cancelled");
    }

    @Test
    void aMalformedOrOversizedBulkIsRefusedAsAWhole() {
        Identity ada = identity();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 101; i++) {
            ids.add(Integer.toString(i));
        }
        assertError(bulk(token(ada), "{\"action\": \"respond\", \"ids\": [" + String.join(",", ids)
                + "], \"response\": {}}"), 422, "VALIDATION_ERROR");
        assertError(bulk(token(ada), "{\"action\": \"respond\", \"ids\": [], \"response\": {}}"), 422,
                "VALIDATION_ERROR");
        assertError(bulk(token(ada), "{\"action\": \"approve\", \"ids\": [1]}"), 422, "VALIDATION_ERROR");
        assertError(bulk(token(ada), "{\"action\": \"respond\", \"ids\": [1]}"), 400, "BAD_REQUEST");
        assertError(bulk(token(ada), "{\"action\": \"respond\", \"ids\": \"1,2\""), 400, "BAD_REQUEST");
        assertError(bulk(token(ada), "{\"action\": \"respond\", \"ids\": [\"x\"], \"response\": {}}"), 400,
                "BAD_REQUEST");
    }

    /** Bulk answers racing single answers over the same inquiries: each inquiry gets exactly one 200. */
    @Test
    void bulkOverlappingSingleAnswersGivesExactlyOneWinnerPerInquiry() throws Exception {
        Identity ada = identity();
        String sre = group(ada);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(openFor("{\"group\": \"" + sre + "\"}").id());
        }
        String token = token(ada);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Map<Long, Integer>>> calls = new ArrayList<>();
            for (int b = 0; b < 2; b++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    Map<Long, Integer> got = new HashMap<>();
                    bulk(token, "{\"action\": \"respond\", \"ids\": " + ids + ", \"response\": " + YES + "}").data()
                            .forEach(r -> got.put(r.get("id").asLong(), r.get("status").asInt()));
                    return got;
                }));
            }
            for (long id : ids) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return Map.of(id, respond(id, token).status());
                }));
            }
            start.countDown();
            Map<Long, Integer> winners = new HashMap<>();
            for (Future<Map<Long, Integer>> call : calls) {
                call.get().forEach((id, status) -> {
                    assertThat(status).isIn(200, 409);
                    if (status == 200) {
                        winners.merge(id, 1, Integer::sum);
                    }
                });
            }
            assertThat(winners).hasSize(ids.size()).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        } finally {
            pool.shutdownNow();
        }
    }
}
