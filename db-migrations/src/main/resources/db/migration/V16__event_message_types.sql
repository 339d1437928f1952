-- The stored events are of the suite's message types and no other (a forged or mistyped one is refused by the
-- database, as before the policies): V11_1 listed InquiryEscalated, V12_1 had loosened the list to a name pattern
-- so that its own types (InquiryUpdated, InquiryReminder) could be added beside V11's. One list again, with all.
ALTER TABLE attune.event DROP CONSTRAINT IF EXISTS event_message_type_name;
ALTER TABLE attune.event DROP CONSTRAINT IF EXISTS event_message_type_check;
ALTER TABLE attune.event ADD CONSTRAINT event_message_type_check CHECK (message_type IN
    ('ExecutionRequested', 'ExecutionCompleted', 'ExecutionStatusChanged', 'InquiryCreated', 'InquiryResponded',
     'InquiryTimedOut', 'InquiryCancelled', 'InquiryEscalated', 'InquiryUpdated', 'InquiryReminder')) NOT VALID;
ALTER TABLE attune.event VALIDATE CONSTRAINT event_message_type_check;
