-- What the channel senders can do is reported per notifier replica (docs/channels.md): keyed by type alone, two
-- replicas of which only one had SMTP overwrote each other's row, and an email channel's status flipped between
-- ok and unavailable. A kind of channel can send while one replica reported lately that it can.
DELETE FROM attune.channel_sender_status WHERE replica IS NULL;
ALTER TABLE attune.channel_sender_status
    DROP CONSTRAINT channel_sender_status_pkey,
    ALTER COLUMN replica SET NOT NULL,
    ADD PRIMARY KEY (type, replica);
