package io.attune.core.inquiry;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Optional;

/**
 * The reads of one inquiry in full (Spring Data; the list reads {@link ListedInquiries}); every change, the row
 * locks and the list's count from the tally are SQL in {@link InquiryRepository}.
 */
interface InquiryEntities extends JpaRepository<InquiryEntity, Long> {

    /** The execution's inquiry in the given status (pending: at most one, a unique index says so). */
    Optional<InquiryEntity> findByExecutionAndStatus(long execution, String status);
}
