package io.attune.notifier.session;

import io.attune.notifier.NotifierSettings;

import java.time.Duration;

/** What one session may hold and do; from {@link NotifierSettings}, plus the trail's retention for messages. */
record SessionLimits(int bufferLimit, int replayLimit, long replayBuffer, int pendingMessages, int subscribeBurst,
                     double subscribesPerSecond, Duration retention) {

    static SessionLimits of(NotifierSettings settings, Duration retention) {
        return new SessionLimits(settings.sessionBuffer(), settings.replayLimit(), settings.replayBuffer().toBytes(),
                settings.pendingMessages(), settings.subscribeBurst(), settings.subscribesPerSecond(), retention);
    }
}
