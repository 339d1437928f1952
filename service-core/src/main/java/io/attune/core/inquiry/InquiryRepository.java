package io.attune.core.inquiry;

import io.attune.core.event.Outbox;
import io.attune.core.identity.Actor;
import io.attune.core.persistence.ReadOnlyEntities;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.Assignment;
import io.attune.model.inquiry.EscalationStep;
import io.attune.model.inquiry.InquiryOutcome.Answer;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.rest.InquirySummary;
import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.attune.core.JsonColumns.instant;
import static io.attune.core.JsonColumns.json;
import static io.attune.core.JsonColumns.nullableLong;
import static io.attune.core.JsonColumns.text;

/**
 * SQL for inquiries. Status changes are conditional updates ({@code WHERE status = 'pending'}): the database picks
 * the one winner among concurrent requests. Which change is allowed when is decided by {@link InquiryTransitions}.
 */
@Repository
public class InquiryRepository {
    static final String COLUMNS = columns("");
    private static final Sort NEWEST_FIRST = Sort.by(Sort.Direction.DESC, "id");
    static final RowMapper<Inquiry> ROW = (rs, n) -> new Inquiry(rs.getLong("id"), rs.getLong("execution"),
            rs.getString("prompt"), json(rs, "response_schema"), nullableLong(rs, "assigned_to"),
            assignment(json(rs, "assignment")), InquiryStatus.fromWire(rs.getString("status")), json(rs, "response"),
            nullableLong(rs, "responded_by"), instant(rs, "timeout_at"), instant(rs, "responded_at"),
            instant(rs, "created"), instant(rs, "updated"),
            rs.getInt("approvals_required"), rs.getString("decision_field"), json(rs, "on_timeout"),
            (Integer) rs.getObject("remind_every_seconds"), rs.getBoolean("defaulted"),
            answers(json(rs, "quorum_answers")));

    private final JdbcClient jdbc;
    private final InquiryEntities entities;
    private final ListedInquiries listed;
    private final ReadOnlyEntities read;
    private final EntityManager entityManager;

    public InquiryRepository(JdbcClient jdbc, InquiryEntities entities, ListedInquiries listed,
                             EntityManager entityManager) {
        this.jdbc = jdbc;
        this.entities = entities;
        this.listed = listed;
        this.read = new ReadOnlyEntities(entityManager);
        this.entityManager = entityManager;
    }

    public Inquiry insert(long execution, String prompt, JsonNode responseSchema, Long assignedTo, Long timeoutSeconds,
                          boolean allowSelfApproval) {
        return insert(execution, new InquiryRequest(prompt, responseSchema, assignedTo, timeoutSeconds,
                allowSelfApproval));
    }

    /** A pending inquiry as the request asks: its assignment, escalation and policies (docs/policies.md). */
    // SQL: the row and its derived columns (assignee_keys, escalate_at, next_reminder_at) from the database's clock, in one INSERT ... RETURNING
    public Inquiry insert(long execution, InquiryRequest request) {
        Assignment assignment = request.assignedTo();
        List<EscalationStep> escalation = request.escalation();
        Long firstStep = escalation.isEmpty() ? null : escalation.get(0).afterSeconds();
        return jdbc.sql("INSERT INTO attune.inquiry (execution, prompt, response_schema, assigned_to, assignment, "
                        + "assignee_keys, timeout_at, allow_self_approval, escalation, escalate_at, approvals_required, "
                        + "decision_field, on_timeout, remind_every_seconds, next_reminder_at) "
                        + "VALUES (?, ?, ?::jsonb, ?, ?::jsonb, ?::text[], now() + make_interval(secs => ?), ?, "
                        + "?::jsonb, now() + make_interval(secs => ?), ?, ?, ?::jsonb, ?, "
                        + "now() + make_interval(secs => ?)) RETURNING " + COLUMNS)
                .params(execution, request.prompt(), text(request.responseSchema()),
                        assignment == null ? null : assignment.singleUser(),
                        assignment == null ? null : Json.write(assignment.given()), keysLiteral(assignment),
                        request.timeoutSeconds(), request.allowSelfApproval(),
                        escalation.isEmpty() ? null : Json.write(stored(escalation)), firstStep,
                        request.approvals(), request.decisionField(), text(request.onTimeout()),
                        request.remindEverySeconds(), request.remindEverySeconds())
                .query(ROW).single();
    }

    /**
     * The escalation steps as stored: each with its assignment normalised ({@code keys}, {@code user} for the old
     * column), so that the sweep reassigns a whole batch in one statement.
     */
    private static JsonNode stored(List<EscalationStep> escalation) {
        var steps = Json.mapper().createArrayNode();
        for (EscalationStep step : escalation) {
            var node = steps.addObject();
            node.put("after_seconds", step.afterSeconds());
            node.set("assign_to", step.assignTo().given());
            var keys = node.putArray("keys");
            step.assignTo().keys().forEach(keys::add);
            node.put("user", step.assignTo().singleUser());
        }
        return steps;
    }

    static String keysLiteral(Assignment assignment) {
        // keys are u:<digits> or g:<[A-Za-z0-9._-]>: nothing in them needs quoting in an array literal
        return "{" + (assignment == null ? "" : String.join(",", assignment.keys())) + "}";
    }

    static Assignment assignment(JsonNode stored) {
        return stored == null || stored.isNull() ? null : Assignment.of(stored);
    }

    /**
     * The pending inquiry, locked until the commit, unless its timeout has passed by now ({@code clock_timestamp()});
     * empty then. Answers to a quorum queue up here, so the last slot is taken exactly once: a second answer waiting
     * for the lock finds the inquiry no longer pending.
     */
    // SQL: FOR UPDATE with the timeout read on clock_timestamp(): the lock a quorum's answers queue up on
    public Optional<Inquiry> lockPending(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.inquiry WHERE id = ? AND status = 'pending' "
                        + "AND (timeout_at IS NULL OR timeout_at > clock_timestamp()) FOR UPDATE")
                .param(id).query(ROW).optional();
    }

    /**
     * Keeps one person's answer to a quorum inquiry; empty when that person has answered it already. The moment is
     * {@code clock_timestamp()}, as for a single answer.
     */
    // SQL: ON CONFLICT DO NOTHING on the once-per-person constraint decides a repeated answer
    public Optional<Answer> recordAnswer(long inquiry, long respondedBy, JsonNode response) {
        return jdbc.sql("INSERT INTO attune.inquiry_response (inquiry, responded_by, response, responded_at) "
                        + "VALUES (?, ?, ?::jsonb, clock_timestamp()) ON CONFLICT ON CONSTRAINT "
                        + "uq_inquiry_response_once_per_person DO NOTHING RETURNING responded_by, responded_at")
                .params(inquiry, respondedBy, Json.write(response))
                .query((rs, n) -> new Answer(response, rs.getLong("responded_by"), instant(rs, "responded_at")))
                .optional();
    }

    /**
     * The approvals a quorum inquiry has: its answers with {@code true} at {@code decisionField}, or every answer
     * when there is none.
     */
    // SQL: the quorum tally, a count over a jsonb path (#>) under the inquiry's row lock
    public int approvals(long inquiry, String decisionField) {
        if (decisionField == null) {
            return jdbc.sql("SELECT count(*) FROM attune.inquiry_response WHERE inquiry = ?").param(inquiry)
                    .query(Integer.class).single();
        }
        return jdbc.sql("SELECT count(*) FROM attune.inquiry_response WHERE inquiry = ? "
                        + "AND response #> ?::text[] = 'true'::jsonb")
                .params(inquiry, pathOf(decisionField)).query(Integer.class).single();
    }

    /** A JSON pointer as the text[] path of Postgres' {@code #>} ({@code /a/b} → {@code {a,b}}). */
    static String[] pathOf(String pointer) {
        return java.util.Arrays.stream(pointer.substring(1).split("/", -1))
                .map(step -> step.replace("~1", "/").replace("~0", "~")).toArray(String[]::new);
    }

    /**
     * Moves the reminder of up to {@code limit} pending inquiries whose reminder is due (and whose timeout has not
     * passed) one period on — or to a period from now, when the sweep fell behind — and returns them with the number
     * of the reminder due. Rows another sweep is working on are skipped, so replicas split the work.
     */
    // SQL: FOR UPDATE SKIP LOCKED: replicas split the due reminders without waiting for each other
    public List<DueReminder> advanceDueReminders(int limit) {
        return jdbc.sql("UPDATE attune.inquiry i SET next_reminder_at = CASE "
                        + "WHEN due.at + make_interval(secs => i.remind_every_seconds) > now() "
                        + "THEN due.at + make_interval(secs => i.remind_every_seconds) "
                        + "ELSE now() + make_interval(secs => i.remind_every_seconds) END "
                        + "FROM (SELECT id, next_reminder_at AS at FROM attune.inquiry WHERE status = 'pending' "
                        + "AND next_reminder_at <= now() AND (timeout_at IS NULL OR timeout_at > now()) "
                        + "ORDER BY next_reminder_at LIMIT ? FOR UPDATE SKIP LOCKED) due WHERE i.id = due.id "
                        + "RETURNING i.id, i.execution, i.timeout_at, greatest(1, round(extract(epoch FROM "
                        + "(due.at - i.created)) / i.remind_every_seconds))::int AS reminder")
                .param(limit)
                .query((rs, n) -> new DueReminder(rs.getLong("id"), rs.getLong("execution"), rs.getInt("reminder"),
                        instant(rs, "timeout_at")))
                .list();
    }

    public record DueReminder(long inquiry, long execution, int reminder, java.time.Instant timeoutAt) {
    }

    public Optional<Inquiry> find(long id) {
        return read.one(entities.findById(id), InquiryEntity::toRecord);
    }

    /** The inquiries of {@code ids} that exist, by id. */
    // SQL: one statement for an executor's batch of answers, without an entity per row: it runs for every answer
    public Map<Long, Inquiry> findAll(Collection<Long> ids) {
        Map<Long, Inquiry> found = new HashMap<>();
        jdbc.sql("SELECT " + COLUMNS + " FROM attune.inquiry WHERE id = ANY(?)")
                .param(ids.stream().distinct().toArray(Long[]::new))
                .query(ROW).list().forEach(inquiry -> found.put(inquiry.id(), inquiry));
        return found;
    }

    /**
     * Folds the tally's per-backend rows into one row per status and assignee (migration V24); returns how many rows
     * it moved. Rows a writer holds right now are left for the next time.
     */
    // SQL: the function of migration V24, which skips the rows writers hold (FOR UPDATE SKIP LOCKED)
    public int compactTally() {
        return jdbc.sql("SELECT attune.compact_inquiry_tally()").query(Integer.class).single();
    }

    /** The inquiry's {@code response_schema} (JSON null when it has none); empty when there is no such inquiry. */
    public Optional<JsonNode> responseSchema(long id) {
        return jdbc.sql("SELECT response_schema::text AS response_schema FROM attune.inquiry WHERE id = ?").param(id)
                .query((rs, n) -> {
                    JsonNode schema = json(rs, "response_schema");
                    return schema == null ? (JsonNode) NullNode.getInstance() : schema;
                }).optional();
    }

    /** The pending inquiry of an execution, if it waits on one. */
    public Optional<Inquiry> pendingOf(long execution) {
        return read.one(entities.findByExecutionAndStatus(execution, InquiryStatus.PENDING.wire()),
                InquiryEntity::toRecord);
    }

    /**
     * Every inquiry of an execution chain: the execution's own and those of its task runs, at any depth, oldest
     * first.
     */
    // SQL: a recursive CTE over the execution tree, which JPQL cannot say
    public List<Inquiry> ofChain(long root) {
        return jdbc.sql("WITH RECURSIVE chain(id) AS (SELECT ?::bigint UNION ALL SELECT e.id FROM attune.execution e "
                        + "JOIN chain c ON e.parent = c.id) SELECT " + columns("i.") + " FROM attune.inquiry i "
                        + "JOIN chain c ON i.execution = c.id ORDER BY i.created, i.id")
                .param(root).query(ROW).list();
    }

    /**
     * Whether the inquiry's {@code timeout_at} has passed by the database's clock, read now ({@code clock_timestamp()},
     * not the transaction's start): the one clock of every timeout decision.
     */
    // SQL: clock_timestamp(), the database's clock now, the one clock of every timeout decision
    public boolean isPastTimeout(long id) {
        return jdbc.sql("SELECT timeout_at IS NOT NULL AND timeout_at <= clock_timestamp() FROM attune.inquiry "
                        + "WHERE id = ?")
                .param(id).query(Boolean.class).single();
    }

    /**
     * pending → responded, unless it is no longer pending, its timeout has passed at the moment of the update itself
     * ({@code clock_timestamp()}: a transaction that began before the timeout cannot slip an answer in after it) or
     * the answerer may no longer answer it (an escalation that reassigned it meanwhile is seen here, the row being
     * re-read after its lock, so the answer and the reassignment are in one order); {@code responded_at} is that
     * moment. With it, the event announcing it, in one statement (one round trip): the event's row is
     * inserted only when the update took the inquiry, with the payload's {@code responded_at} set to the update's
     * moment, written as the wire writes an instant ({@code 2026-01-15T10:30:00.378190Z}, trailing zeros in groups
     * of three dropped). Empty, and no event, when the update took nothing.
     */
    // SQL: the respond CAS (a conditional UPDATE picks the one winner), its event in the same statement
    public Optional<Inquiry> markRespondedAnnounced(long id, JsonNode response, long respondedBy, Outbox.Row event) {
        return jdbc.sql("WITH clock AS (SELECT clock_timestamp() AS now), answered AS ("
                        + "UPDATE attune.inquiry SET status = 'responded', response = ?::jsonb, responded_by = ?, "
                        + "responded_at = clock.now FROM clock WHERE id = ? AND status = 'pending' "
                        + "AND (timeout_at IS NULL OR timeout_at > clock.now) AND " + Visibility.MAY_ANSWER
                        + " RETURNING " + COLUMNS + "), announced AS (INSERT INTO " + Outbox.COLUMNS
                        + " SELECT ?::uuid, ?, ?, answered.execution, answered.id, jsonb_set(?::jsonb, "
                        + "'{payload,responded_at}', to_jsonb(" + wireInstant("answered.responded_at")
                        + ")) FROM answered) SELECT * FROM answered")
                .params(Json.write(response), respondedBy, id, respondedBy, event.messageId(), event.messageType(),
                        event.routingKey(), event.envelope())
                .query(ROW).optional();
    }

    /** SQL text of a timestamptz as Java (and so the wire) writes an instant: UTC, fractions in groups of three. */
    static String wireInstant(String column) {
        return "regexp_replace(regexp_replace(to_char(" + column + " AT TIME ZONE 'UTC', "
                + "'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '\\.000000$', ''), '(\\.[0-9]{3})000$', '\\1') || 'Z'";
    }

    /**
     * What an answer is checked against before its transaction, read in one statement: the inquiry, whether its
     * timeout has passed by now ({@code clock_timestamp()}), and whether the actor requested its execution while it
     * does not allow that. Empty when there is no such inquiry.
     */
    public Optional<AnswerCheck> forAnswer(long id, Long actorId) {
        return jdbc.sql("SELECT " + columns("i.") + ", i.timeout_at IS NOT NULL AND i.timeout_at <= clock_timestamp() "
                        + "AS past_timeout, coalesce(NOT i.allow_self_approval AND e.requested_by = ?, false) "
                        + "AS self_approval FROM attune.inquiry i JOIN attune.execution e ON e.id = i.execution "
                        + "WHERE i.id = ?")
                .params(actorId, id)
                .query((rs, n) -> new AnswerCheck(ROW.mapRow(rs, n), rs.getBoolean("past_timeout"),
                        rs.getBoolean("self_approval")))
                .optional();
    }

    /** An inquiry as an answer to it is checked: {@link #forAnswer}. */
    public record AnswerCheck(Inquiry inquiry, boolean pastTimeout, boolean refusedSelfApproval) {
    }

    /**
     * Reassigns up to {@code limit} pending inquiries whose next escalation step is due (and whose timeout has not
     * passed): the step's assignment replaces the current one and the following step, if any, becomes due. Rows
     * another sweeper (or an answer) holds are skipped, not waited for.
     */
    // SQL: FOR UPDATE SKIP LOCKED and a set-wise reassignment from the stored escalation steps (jsonb)
    public List<Escalated> escalateDue(int limit) {
        return jdbc.sql("UPDATE attune.inquiry i SET assignment = due.step -> 'assign_to', "
                        + "assignee_keys = ARRAY(SELECT jsonb_array_elements_text(due.step -> 'keys')), "
                        + "assigned_to = (due.step ->> 'user')::bigint, escalation_step = i.escalation_step + 1, "
                        + "escalate_at = i.created + make_interval(secs => "
                        + "(i.escalation -> (i.escalation_step + 1) ->> 'after_seconds')::double precision) "
                        + "FROM (SELECT id, escalation -> escalation_step AS step, assignment AS previous "
                        + "FROM attune.inquiry WHERE status = 'pending' AND escalate_at <= now() "
                        + "AND (timeout_at IS NULL OR timeout_at > now()) ORDER BY escalate_at LIMIT ? "
                        + "FOR UPDATE SKIP LOCKED) due WHERE i.id = due.id "
                        + "RETURNING " + columns("i.") + ", due.previous::text AS previous, i.escalation_step")
                .param(limit)
                .query((rs, n) -> new Escalated(ROW.mapRow(rs, n), assignment(json(rs, "previous")),
                        rs.getInt("escalation_step")))
                .list();
    }

    /** An inquiry just reassigned by escalation step {@code step} (from 1), and the assignment it replaced. */
    public record Escalated(Inquiry inquiry, Assignment previous, int step) {
    }

    /**
     * pending → cancelled; empty when it was not pending, or its timeout had passed at the moment of the update (the
     * same rule and clock as {@link #markRespondedAnnounced}).
     */
    // SQL: a conditional UPDATE (pending, timeout not passed) picks the one winner
    public Optional<Inquiry> markCancelled(long id) {
        return jdbc.sql("UPDATE attune.inquiry SET status = 'cancelled' WHERE id = ? AND status = 'pending' "
                        + "AND (timeout_at IS NULL OR timeout_at > clock_timestamp()) RETURNING " + COLUMNS)
                .param(id).query(ROW).optional();
    }

    /**
     * pending → timeout for up to {@code limit} inquiries whose {@code timeout_at} has passed. Rows another
     * checker is working on are skipped, not waited for, so concurrent checkers split the work.
     */
    // SQL: FOR UPDATE SKIP LOCKED: concurrent checkers split the expired inquiries
    public List<Inquiry> markTimedOut(int limit) {
        return jdbc.sql("UPDATE attune.inquiry i SET status = 'timeout', defaulted = i.on_timeout IS NOT NULL "
                        + "FROM (SELECT id FROM attune.inquiry "
                        + "WHERE status = 'pending' AND timeout_at <= now() ORDER BY timeout_at LIMIT ? "
                        + "FOR UPDATE SKIP LOCKED) due WHERE i.id = due.id RETURNING "
                        + columns("i."))
                .param(limit).query(ROW).list();
    }

    /** Whether the execution has an inquiry (of any status) that the actor may see. */
    public boolean anyVisibleForExecution(long execution, Actor actor) {
        return listed.exists(InquirySpecifications.listed(new InquiryQuery(null, execution, null, 1, 1), actor));
    }

    /** A page of the inquiries the actor may see, newest first, as the list shows them, and how many match in all. */
    public Page page(InquiryQuery query, Actor actor) {
        if (query.assignedTo() != null && query.assignedTo() < 1) {
            return new Page(List.of(), 0); // no identity has such an id
        }
        Specification<ListedInquiry> wanted = InquirySpecifications.listed(query, actor);
        long offset = (long) (query.page() - 1) * query.perPage();
        if (query.execution() != null
                || (!actor.isAdmin() && query.assignedTo() != null && !query.assignedTo().equals(actor.id()))) {
            // an execution has a handful of inquiries; another user's inquiries as a non-admin sees them are the
            // few assigned to both: counted through Spring Data, and only when the page does not say how many there
            // are (a page that is not full ends the list, unless it is an empty one past the end)
            List<InquirySummary> rows = rows(query, actor, wanted, offset);
            boolean endsTheList = rows.size() < query.perPage() && (offset == 0 || !rows.isEmpty());
            return new Page(rows, endsTheList ? offset + rows.size() : listed.count(wanted));
        }
        long total = tallied(query, actor);
        return new Page(total == 0 || offset >= total ? List.of() : rows(query, actor, wanted, offset), total);
    }

    /**
     * How many inquiries the list has in all, from inquiry_tally (kept by triggers in every writing transaction, see
     * V3 and V11_1) instead of counting up to a million rows for every page: per single assignee (0 = nobody), plus
     * the inquiries assigned to groups or lists (-1 in the tally) that name the person, counted by their index.
     */
    // SQL: the count from inquiry_tally, not count(*) over up to a million rows
    private long tallied(InquiryQuery query, Actor actor) {
        Long who = query.assignedTo() != null ? query.assignedTo() : actor.isAdmin() ? null : actor.id();
        StringBuilder tallyWhere = new StringBuilder(" WHERE true");
        List<Object> tallyParams = new ArrayList<>();
        if (query.status() != null) {
            tallyWhere.append(" AND status = ?::attune.inquiry_status_enum");
            tallyParams.add(query.status().wire());
        }
        if (who != null) {
            tallyWhere.append(query.assignedTo() != null ? " AND assigned_to = ?" : " AND assigned_to IN (0, ?)");
            tallyParams.add(who);
        }
        long total = jdbc.sql("SELECT coalesce(sum(inquiries), 0) FROM attune.inquiry_tally" + tallyWhere)
                .params(tallyParams).query(Long.class).single();
        if (who != null) {
            List<Object> groupParams = new ArrayList<>();
            groupParams.add(who);
            String status = "";
            if (query.status() != null) {
                status = " AND status = ?::attune.inquiry_status_enum";
                groupParams.add(query.status().wire());
            }
            total += jdbc.sql("SELECT count(*) FROM attune.inquiry WHERE "
                            + Visibility.ASSIGNED_THROUGH_GROUP_OR_LIST + status)
                    .params(groupParams).query(Long.class).single();
        }
        return total;
    }

    /** The page of {@code wanted} at {@code offset}, each kind of list read the way its indexes allow. */
    private List<InquirySummary> rows(InquiryQuery query, Actor actor, Specification<ListedInquiry> wanted,
                                      long offset) {
        if (query.assignedTo() != null) {
            return mergedPage(query, offset, InquirySpecifications.besidesAssignee(query, actor),
                    InquirySpecifications.assignedParts(query.assignedTo(), query.status()));
        }
        if (!actor.isAdmin() && query.execution() == null) {
            // what a person may see is three disjoint parts: unassigned, theirs alone, theirs through a group or a
            // list. Asked as one OR, Postgres walks the newest inquiries until it has found a page of them: a second
            // for a person when the newest 100,000 are assigned to others
            return mergedPage(query, offset, InquirySpecifications.besidesVisibility(query),
                    InquirySpecifications.mayAnswerParts(actor.id(), query.status()));
        }
        if (query.status() != null && query.execution() == null) {
            // an admin's list by status: the page's ids in a subquery, read backwards from the index on (status, id),
            // then those rows. Asked for whole rows at once, Postgres weighed their width and often chose the partial
            // index of pending inquiries and a sort of all of them instead: 1-2 ms for 1,000 pending against 0.05
            return read.all(listed.findAll(InquirySpecifications.amongNewest(wanted, offset, query.perPage()),
                    NEWEST_FIRST), ListedInquiry::toSummary);
        }
        // the rows through Spring Data, without its count (the total is the cheap one); a slice reads one row more
        // than the page to know whether another follows, which the list does not need but costs one row
        return read.all(listed.findBy(wanted, found -> found.slice(
                        PageRequest.of(query.page() - 1, query.perPage(), NEWEST_FIRST))).getContent(),
                ListedInquiry::toSummary);
    }

    /**
     * A page of a list that is the union of disjoint parts, each with the filters {@code common}: the newest ids of
     * each, each read in id order from its own index, merged here, then those rows. Asked as one OR, Postgres either
     * reads every matching inquiry and sorts them or walks the newest inquiries of everyone until it has a page: tens
     * of milliseconds to seconds over a million inquiries.
     */
    private List<InquirySummary> mergedPage(InquiryQuery query, long offset, Specification<ListedInquiry> common,
                                     List<InquirySpecifications.ListPart> parts) {
        int end = (int) Math.min(offset + query.perPage(), Integer.MAX_VALUE);
        List<Long> ids = parts.stream()
                .flatMap(part -> idsNewestFirst(common.and(part.where()), end, part.order()).stream())
                .sorted(Comparator.reverseOrder()).skip(offset).limit(query.perPage()).toList();
        return rowsOf(ids);
    }

    /** The inquiries with these ids, newest first. */
    private List<InquirySummary> rowsOf(List<Long> ids) {
        return ids.isEmpty() ? List.of()
                : read.all(listed.findAll(InquirySpecifications.idIn(ids), NEWEST_FIRST), ListedInquiry::toSummary);
    }

    /** The newest ids of {@code wanted}, read in the {@code order} that says from which index. */
    private List<Long> idsNewestFirst(Specification<ListedInquiry> wanted, int limit,
                                      InquirySpecifications.ListOrder order) {
        CriteriaBuilder cb = entityManager.getCriteriaBuilder();
        CriteriaQuery<Long> ids = cb.createQuery(Long.class);
        Root<ListedInquiry> root = ids.from(ListedInquiry.class);
        ids.select(root.get("id")).orderBy(switch (order) {
            case ID -> List.of(cb.desc(root.get("id")));
            case SORTED_ID -> List.of(cb.desc(cb.sum(root.<Long>get("id"), cb.literal(0L))));
            case ASSIGNEE_THEN_ID -> List.of(cb.desc(root.get("assignedTo")), cb.desc(root.get("id")));
        });
        Predicate predicate = wanted.toPredicate(root, ids, cb);
        if (predicate != null) {
            ids.where(predicate);
        }
        return entityManager.createQuery(ids).setMaxResults(limit).getResultList();
    }

    static String columns(String alias) {
        // the kept answers of a quorum, oldest first, in the row itself (one inquiry's handful; none for the rest)
        String self = alias.isEmpty() ? "inquiry." : alias;
        return String.join(", ", alias + "id", alias + "execution", alias + "prompt",
                alias + "response_schema::text AS response_schema", alias + "assigned_to",
                alias + "assignment::text AS assignment",
                alias + "status::text AS status", alias + "response::text AS response", alias + "responded_by",
                alias + "timeout_at", alias + "responded_at", alias + "created", alias + "updated",
                alias + "approvals_required", alias + "decision_field", alias + "on_timeout::text AS on_timeout",
                alias + "remind_every_seconds", alias + "defaulted",
                "CASE WHEN " + self + "approvals_required > 1 THEN " + InquiryEntity.KEPT_ANSWERS_OF + self
                        + "id)::text END AS quorum_answers");
    }

    static List<Answer> answers(JsonNode kept) {
        if (kept == null || !kept.isArray()) {
            return null;
        }
        List<Answer> answers = new ArrayList<>();
        for (JsonNode answer : kept) {
            answers.add(new Answer(answer.get("response"), answer.get("responded_by").asLong(),
                    java.time.OffsetDateTime.parse(answer.get("responded_at").asString()).toInstant()));
        }
        return List.copyOf(answers);
    }

    public record Page(List<InquirySummary> rows, long total) {
    }
}
