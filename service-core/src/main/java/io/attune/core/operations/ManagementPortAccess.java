package io.attune.core.operations;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The separate management port ({@code ATTUNE_MANAGEMENT_PORT}, bound to {@code ATTUNE_MANAGEMENT_ADDRESS},
 * 127.0.0.1 by default): whoever can reach it is an operator on the host (or in the pod), so every actuator endpoint,
 * health details included, answers there without a token.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ManagementPortAccess {

    @Bean
    OncePerRequestFilter managementPortIsTrusted() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                // after any security chain (order 0 > its -100), so that this is what the endpoint asks
                chain.doFilter(ActuatorAccessFilter.asAdmin(request, "management-port"), response);
            }
        };
    }
}
