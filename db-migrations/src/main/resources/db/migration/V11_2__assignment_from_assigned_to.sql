-- A writer that knows only the assigned_to column (an older service during a rolling upgrade, a script, the
-- benchmark's seed) keeps the assignment consistent: a single user written there is that user's assignment.
CREATE FUNCTION attune.inquiry_assignment_from_column() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.assignment IS NULL AND NEW.assigned_to IS NOT NULL THEN
            NEW.assignment := to_jsonb(NEW.assigned_to);
            NEW.assignee_keys := ARRAY['u:' || NEW.assigned_to];
        END IF;
    ELSIF NEW.assigned_to IS DISTINCT FROM OLD.assigned_to AND NEW.assignment IS NOT DISTINCT FROM OLD.assignment THEN
        NEW.assignment := to_jsonb(NEW.assigned_to);
        NEW.assignee_keys := CASE WHEN NEW.assigned_to IS NULL THEN '{}'::text[] ELSE ARRAY['u:' || NEW.assigned_to] END;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER inquiry_assignment_from_column BEFORE INSERT OR UPDATE OF assigned_to ON attune.inquiry
    FOR EACH ROW EXECUTE FUNCTION attune.inquiry_assignment_from_column();

-- Rows such a writer stored before this migration.
UPDATE attune.inquiry SET assignment = to_jsonb(assigned_to), assignee_keys = ARRAY['u:' || assigned_to]
WHERE assigned_to IS NOT NULL AND assignment IS NULL;
