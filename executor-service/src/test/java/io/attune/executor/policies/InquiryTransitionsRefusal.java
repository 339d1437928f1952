package io.attune.executor.policies;

import io.attune.core.error.DomainException;
import io.attune.model.rest.ErrorCode;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

final class InquiryTransitionsRefusal {
    private InquiryTransitionsRefusal() {
    }

    static void assertConflict(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    }
}
