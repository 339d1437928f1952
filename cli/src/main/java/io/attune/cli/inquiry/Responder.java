package io.attune.cli.inquiry;

import io.attune.cli.client.ApiClient;
import io.attune.cli.client.Refused;
import io.attune.cli.schema.Interview;
import io.attune.cli.schema.Question;
import io.attune.cli.schema.Questions;
import io.attune.cli.term.Terminal;
import io.attune.model.json.Json;
import io.attune.model.rest.InquiryView;
import io.attune.model.rest.RespondRequest;
import tools.jackson.databind.JsonNode;

import java.util.List;

/** Answers one inquiry: as given, or by asking its questions at the terminal until the server accepts the answer. */
public final class Responder {
    private final ApiClient client;

    public Responder(ApiClient client) {
        this.client = client;
    }

    /** {@code POST /api/v1/inquiries/{id}/respond}; a refusal is thrown. */
    public JsonNode send(long id, JsonNode answer) {
        return client.post("/api/v1/inquiries/" + id + "/respond", new RespondRequest(answer));
    }

    /**
     * Asks every question, sends, and after a 422 shows the server's problems by field and asks those fields again —
     * as often as it takes (Ctrl-D gives up, nothing sent). Other refusals (409: answered meanwhile…) are thrown.
     */
    public JsonNode answerInteractively(InquiryView inquiry, Terminal terminal) {
        List<Question> questions = Questions.of(inquiry.responseSchema());
        Interview interview = new Interview(terminal);
        JsonNode answer = interview.ask(questions);
        while (true) {
            try {
                return send(inquiry.id(), answer);
            } catch (Refused refused) {
                if (refused.status() != 422) {
                    throw refused;
                }
                answer = interview.askAgain(questions, answer, refused.details());
            }
        }
    }

    static String summary(JsonNode answer) {
        return Json.write(answer);
    }
}
