package io.attune.core.inquiry;

import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.repository.Repository;

/** The list's reads through {@link InquirySpecifications}: its pages and its narrow counts. */
interface ListedInquiries extends Repository<ListedInquiry, Long>, JpaSpecificationExecutor<ListedInquiry> {
}
