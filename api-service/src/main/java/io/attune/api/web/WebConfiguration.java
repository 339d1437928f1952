package io.attune.api.web;

import io.attune.model.InquiryStatus;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebMvcConfigurer {

    /** Runs before everything else, the security chain included, so no oversized body is ever parsed. */
    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter() {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** Query parameters take the wire names ({@code ?status=pending}); a blank one means "no filter". */
    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String.class, InquiryStatus.class,
                value -> value.isBlank() ? null : InquiryStatus.fromWire(value.trim()));
    }
}
