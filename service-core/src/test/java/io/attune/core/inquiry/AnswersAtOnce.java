package io.attune.core.inquiry;

import io.attune.core.error.DomainException;
import io.attune.core.identity.Identity;
import io.attune.model.rest.ErrorCode;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Several people answering one inquiry at the same moment, for the one-winner tests. */
final class AnswersAtOnce {
    private AnswersAtOnce() {
    }

    /**
     * Each of {@code people} answers {@code inquiryId} with {@code answer}, all released at once; asserts that every
     * refusal is 409 CONFLICT and returns how many answers were taken.
     */
    static int winners(InquiryTransitions transitions, long inquiryId, List<Identity> people, JsonNode answer)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(people.size());
        try {
            List<Future<ErrorCode>> outcomes = new ArrayList<>();
            for (Identity person : people) {
                Callable<ErrorCode> respond = () -> {
                    start.await();
                    try {
                        transitions.respond(inquiryId, person.actor(), answer, null);
                        return null;
                    } catch (DomainException e) {
                        return e.code();
                    }
                };
                outcomes.add(pool.submit(respond));
            }
            start.countDown();
            int winners = 0;
            for (Future<ErrorCode> outcome : outcomes) {
                ErrorCode code = outcome.get();
                if (code == null) {
                    winners++;
                } else {
                    assertThat(code).isEqualTo(ErrorCode.CONFLICT);
                }
            }
            return winners;
        } finally {
            pool.shutdown();
        }
    }
}
