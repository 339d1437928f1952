package io.attune.notifier.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubscribeAllowanceTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstThenTheRate() {
        SubscribeAllowance allowance = new SubscribeAllowance(3, 2.0);
        long now = System.nanoTime();
        assertThat(allowance.take(now)).isTrue();
        assertThat(allowance.take(now)).isTrue();
        assertThat(allowance.take(now)).isTrue();
        assertThat(allowance.take(now)).as("the burst is spent").isFalse();
        assertThat(allowance.take(now + SECOND / 4)).as("half a subscribe earned").isFalse();
        assertThat(allowance.take(now + SECOND / 2)).as("one earned in half a second at 2/s").isTrue();
        assertThat(allowance.take(now + SECOND / 2)).isFalse();
        assertThat(allowance.take(now + 100 * SECOND)).as("a long pause refills the burst, no more").isTrue();
        assertThat(allowance.take(now + 100 * SECOND)).isTrue();
        assertThat(allowance.take(now + 100 * SECOND)).isTrue();
        assertThat(allowance.take(now + 100 * SECOND)).isFalse();
    }

    @Test
    void closeReasonsFitInACloseFrame() {
        assertThat(CloseCodes.reason("short")).isEqualTo("short");
        String cut = CloseCodes.reason("é".repeat(100));
        assertThat(cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(cut).isEqualTo("é".repeat(61));
    }
}
