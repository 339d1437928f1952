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

    /** The retention as it is configured: {@code 7d}, {@code 12h}, {@code 30m}, {@code 90s}. */
    String retentionText() {
        long seconds = retention.toSeconds();
        if (retention.toMillis() % 1000 != 0) {
            return retention.toMillis() + "ms";
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
