package io.attune.core.inquiry;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

import java.util.Optional;

/**
 * The reads of inquiries (Spring Data, the list and its narrow counts through {@link InquirySpecifications});
 * every change, the row locks and the list's count from the tally are SQL in {@link InquiryRepository}.
 */
interface InquiryEntities extends JpaRepository<InquiryEntity, Long>, JpaSpecificationExecutor<InquiryEntity> {

    /** The execution's inquiry in the given status (pending: at most one, a unique index says so). */
    Optional<InquiryEntity> findByExecutionAndStatus(long execution, String status);
}
