package io.attune.notifier.session;

import io.attune.notifier.NotifierSettings;
import io.attune.notifier.auth.TokenHandshakeInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {
    /** Client messages are small (subscribe, ping); anything bigger is refused by the container (close 1009). */
    private static final int MAX_CLIENT_MESSAGE = 64 * 1024;

    private final NotifierWebSocketHandler handler;
    private final TokenHandshakeInterceptor tokens;
    private final NotifierSettings settings;

    WebSocketConfiguration(NotifierWebSocketHandler handler, TokenHandshakeInterceptor tokens,
                           NotifierSettings settings) {
        this.handler = handler;
        this.tokens = tokens;
        this.settings = settings;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        DefaultHandshakeHandler handshake = new DefaultHandshakeHandler();
        handshake.setSupportedProtocols(TokenHandshakeInterceptor.SUBPROTOCOL);
        registry.addHandler(handler, "/ws")
                .setHandshakeHandler(handshake)
                .addInterceptors(tokens)
                .setAllowedOriginPatterns(settings.allowedOrigins().toArray(String[]::new));
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(MAX_CLIENT_MESSAGE);
        container.setAsyncSendTimeout(settings.sendTimeout().toMillis());
        return container;
    }
}
