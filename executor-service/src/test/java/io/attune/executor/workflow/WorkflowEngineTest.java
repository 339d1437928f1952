package io.attune.executor.workflow;

import io.attune.core.execution.Execution;
import io.attune.core.identity.Actor;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.ExecutionCancellation;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.core.inquiry.ResultMask;
import io.attune.core.secret.SecretMask;
import io.attune.core.workflow.WorkflowLaunch;
import io.attune.core.workflow.WorkflowQueries;
import io.attune.core.workflow.WorkflowRepository;
import io.attune.executor.ExecutorIntegrationTest;
import io.attune.model.ExecutionStatus;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.testsupport.BrokerProbe;
import io.attune.workflow.definition.WorkflowDefinition;
import io.attune.workflow.definition.WorkflowParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine on real Postgres and RabbitMQ, with the test playing the worker (it reports the actions' results as
 * ExecutionCompleted) and the approvers (they answer through the inquiry transitions, as the api does).
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkflowEngineTest extends ExecutorIntegrationTest {
    static final String DEPLOY = """
            input: [service, version]
            tasks:
              plan: {action: examples.plan_deploy, input: {service: "${input.service}", version: "${input.version}"}, next: [{do: approve}]}
              approve:
                inquiry: {prompt: "Deploy ${input.service} ${input.version}?", response_schema: {type: object, properties: {approved: {type: boolean}, comments: {type: string}}, required: [approved]}, timeout_seconds: 600}
                next:
                  - {when: "result.response.approved", do: deploy}
                  - {when: "!result.response.approved", do: report_rejected}
              deploy: {action: examples.deploy, input: {service: "${input.service}", version: "${input.version}", plan: "${tasks.plan.result.plan_id}"}}
              report_rejected: {action: examples.notify, input: {text: "${tasks.approve.result.response.comments}"}}
            """;

    @Autowired
    WorkflowRepository workflows;
    @Autowired
    WorkflowLaunch launch;
    @Autowired
    InquiryTransitions inquiryTransitions;
    @Autowired
    ExecutionCancellation cancellation;
    @Autowired
    WorkflowEngine engine;
    @Autowired
    WorkflowQueries chains;
    @Autowired
    ResultMask resultMask;
    @Autowired
    @Qualifier("workflowStepContainer")
    SimpleMessageListenerContainer stepContainer;

    BrokerProbe worker;
    Identity requester;

    @BeforeEach
    void setUp() {
        worker = probe("execution.requested");
        requester = identity();
    }

    @AfterEach
    void tearDown() {
        worker.close();
    }

    @Test
    void approvalLeadsToDeployWithTheWorkflowsParameters() {
        Execution workflow = start("tests.deploy", DEPLOY, "{\"service\": \"billing\", \"version\": \"2.5.0\"}");
        Execution plan = awaitChild(workflow, "examples.plan_deploy");
        assertThat(plan.parameters()).isEqualTo(Json.tree("{\"service\": \"billing\", \"version\": \"2.5.0\"}"));
        assertThat(plan.parent()).isEqualTo(workflow.id());
        assertThat(plan.requestedBy()).isEqualTo(requester.id());
        complete(plan, "{\"plan_id\": \"P-7\"}");

        Inquiry approve = awaitPendingInquiry(workflow);
        assertThat(approve.prompt()).isEqualTo("Deploy billing 2.5.0?");
        awaitStatus(workflow.id(), ExecutionStatus.PAUSED);
        inquiryTransitions.respond(approve.id(), actor(identity()), Json.tree("{\"approved\": true}"),
                UUID.randomUUID());

        Execution deploy = awaitChild(workflow, "examples.deploy");
        assertThat(deploy.parameters())
                .isEqualTo(Json.tree("{\"service\": \"billing\", \"version\": \"2.5.0\", \"plan\": \"P-7\"}"));
        awaitStatus(workflow.id(), ExecutionStatus.RUNNING);
        complete(deploy, "{\"deployed\": true}");
        Execution done = awaitStatus(workflow.id(), ExecutionStatus.COMPLETED);
        assertThat(done.result().at("/tasks/deploy/result/deployed").asBoolean()).isTrue();
        assertThat(actionRefs(workflow)).containsExactly("examples.plan_deploy", WorkflowEngine.ASK,
                "examples.deploy");
        assertThat(workflows.decisions(workflow.id())).extracting(WorkflowRepository.Decision::outcome)
                .containsExactly("started", "continued", "continued", "branch_ended", "completed");
    }

    /**
     * Task runs that finish while the engine is busy reach it together: each workflow takes its one step, and a status
     * change of an execution that is no task run, among them, changes nothing.
     */
    @Test
    void taskRunsThatFinishTogetherEachStepTheirWorkflowOnce() {
        String twoSteps = """
                tasks:
                  first: {action: tests.first, next: [{do: second}]}
                  second: {action: tests.second}
                """;
        List<Execution> started = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            started.add(start("tests.two_steps", twoSteps, "{}"));
        }
        List<Execution> firsts = started.stream().map(w -> awaitChild(w, "tests.first")).toList();
        Execution plain = runningExecution();
        double stepsBefore = count("attune.workflow.steps");

        stepContainer.stop();
        try {
            firsts.forEach(child -> complete(child, "{}"));
            worker.publish(report(plain, ExecutionStatus.COMPLETED, Json.tree("{}")));
            firsts.forEach(child -> awaitStatus(child.id(), ExecutionStatus.COMPLETED));
            awaitStatus(plain.id(), ExecutionStatus.COMPLETED);
        } finally {
            stepContainer.start();
        }

        started.forEach(w -> awaitChild(w, "tests.second"));
        await().atMost(WAIT).until(() -> count("attune.workflow.steps") >= stepsBefore + 6);
        assertThat(started).allSatisfy(w -> assertThat(actionRefs(w)).containsExactly("tests.first", "tests.second"));
    }

    @Test
    void rejectionReportsTheCommentsAndNeverDeploys() {
        Execution workflow = start("tests.deploy", DEPLOY, "{\"service\": \"billing\", \"version\": \"2.5.0\"}");
        complete(awaitChild(workflow, "examples.plan_deploy"), "{\"plan_id\": \"P-8\"}");
        Inquiry approve = awaitPendingInquiry(workflow);
        inquiryTransitions.respond(approve.id(), actor(identity()),
                Json.tree("{\"approved\": false, \"comments\": \"not during the freeze\"}"), UUID.randomUUID());
        Execution report = awaitChild(workflow, "examples.notify");
        assertThat(report.parameters()).isEqualTo(Json.tree("{\"text\": \"not during the freeze\"}"));
        complete(report, "{}");
        awaitStatus(workflow.id(), ExecutionStatus.COMPLETED);
        assertThat(actionRefs(workflow)).doesNotContain("examples.deploy");
    }

    @Test
    void parallelBranchesAndJoinAll() {
        Execution workflow = start("tests.parallel", """
                tasks:
                  fan: {action: tests.fan, next: [{do: [left, right]}]}
                  left: {action: tests.left, next: [{do: [merge, each]}]}
                  right: {action: tests.right, next: [{do: [merge, each]}]}
                  merge: {action: tests.merge, join: all}
                  each: {action: tests.each}
                """, "{}");
        complete(awaitChild(workflow, "tests.fan"), "{}");
        Execution left = awaitChild(workflow, "tests.left");
        Execution right = awaitChild(workflow, "tests.right");
        complete(left, "{}");
        awaitChild(workflow, "tests.each");
        assertThat(actionRefs(workflow)).doesNotContain("tests.merge");
        complete(right, "{}");
        await().atMost(WAIT).until(() -> actionRefs(workflow).stream().filter("tests.each"::equals).count() == 2);
        Execution merge = awaitChild(workflow, "tests.merge");
        for (Execution child : executions.children(workflow.id())) {
            if (Set.of("tests.each", "tests.merge").contains(child.actionRef())) {
                complete(child, "{}");
            }
        }
        awaitStatus(workflow.id(), ExecutionStatus.COMPLETED);
        assertThat(actionRefs(workflow).stream().filter("tests.merge"::equals).count()).isEqualTo(1);
        assertThat(merge.status()).isEqualTo(ExecutionStatus.REQUESTED);
    }

    @Test
    void aTimeoutWithoutOnTimeoutIsDecidedByNext() {
        Execution workflow = start("tests.timeout_next", """
                tasks:
                  ask:
                    inquiry: {prompt: "Anyone?", timeout_seconds: 1}
                    next:
                      - {when: "result.status == 'timeout'", do: escalate}
                      - {when: "result.status == 'responded'", do: proceed}
                  escalate: {action: tests.escalate, input: {why: "${tasks.ask.status}"}}
                  proceed: {action: tests.proceed}
                """, "{}");
        Execution escalate = awaitChild(workflow, "tests.escalate");
        assertThat(escalate.parameters()).isEqualTo(Json.tree("{\"why\": \"timeout\"}"));
        assertThat(inquiries.ofChain(workflow.id())).singleElement()
                .satisfies(i -> assertThat(i.status()).isEqualTo(InquiryStatus.TIMEOUT));
        complete(escalate, "{}");
        awaitStatus(workflow.id(), ExecutionStatus.COMPLETED);
    }

    @Test
    void aTimeoutNoEntryMatchesFailsTheWorkflowWithTheReason() {
        Execution workflow = start("tests.timeout_fail", """
                tasks:
                  ask:
                    inquiry: {prompt: "Anyone?", timeout_seconds: 1}
                    next: [{when: "result.response.approved", do: proceed}]
                  proceed: {action: tests.proceed}
                """, "{}");
        Execution failed = awaitStatus(workflow.id(), ExecutionStatus.FAILED);
        assertThat(failed.result().path("error").asString()).contains("task ask");
        assertThat(actionRefs(workflow)).doesNotContain("tests.proceed");
    }

    @Test
    void aTimeoutWithOnTimeoutContinuesWithTheDefaultAnswer() {
        Execution workflow = start("tests.timeout_default", """
                tasks:
                  ask:
                    inquiry: {prompt: "Go ahead?", timeout_seconds: 1, on_timeout: {response: {approved: false}}}
                    next:
                      - {when: "result.response.approved", do: proceed}
                      - {when: "!result.response.approved && result.defaulted", do: skipped}
                  proceed: {action: tests.proceed}
                  skipped: {action: tests.skipped}
                """, "{}");
        complete(awaitChild(workflow, "tests.skipped"), "{}");
        awaitStatus(workflow.id(), ExecutionStatus.COMPLETED);
        assertThat(actionRefs(workflow)).doesNotContain("tests.proceed");
    }

    @Test
    void aQuorumInquiryTaskGivesEveryAnswerToTheNextStep() {
        Execution workflow = start("tests.quorum", """
                tasks:
                  ask:
                    inquiry:
                      prompt: "Release?"
                      response_schema: {type: object, properties: {approved: {type: boolean}}, required: [approved]}
                      approvals_required: 2
                      decision_field: /approved
                    next:
                      - {when: "result.response.approved && size(result.responses) == 2", do: proceed}
                  proceed: {action: tests.proceed, input: {first: "${tasks.ask.result.responses[0].responded_by}"}}
                """, "{}");
        Inquiry ask = awaitPendingInquiry(workflow);
        Identity ada = identity();
        Identity bob = identity();
        inquiryTransitions.respond(ask.id(), actor(ada), Json.tree("{\"approved\": true}"), null);
        assertThat(inquiries.find(ask.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
        inquiryTransitions.respond(ask.id(), actor(bob), Json.tree("{\"approved\": true}"), null);

        Execution proceed = awaitChild(workflow, "tests.proceed");
        assertThat(proceed.parameters().path("first").asString()).isEqualTo(String.valueOf(ada.id()));
        complete(proceed, "{}");
        awaitStatus(workflow.id(), ExecutionStatus.COMPLETED);
    }

    @Test
    void cancellingMidWayCancelsTheRest() {
        Execution workflow = start("tests.cancel", """
                tasks:
                  build: {action: tests.build, next: [{do: after_build}]}
                  ask: {inquiry: {prompt: "Release?"}, next: [{do: after_ask}]}
                  after_build: {action: tests.after_build}
                  after_ask: {action: tests.after_ask}
                """, "{}");
        Execution build = awaitChild(workflow, "tests.build");
        Inquiry ask = awaitPendingInquiry(workflow);
        awaitStatus(workflow.id(), ExecutionStatus.PAUSED);
        cancellation.cancel(workflow.id(), actor(requester), UUID.randomUUID());

        assertThat(executions.find(workflow.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(inquiries.find(ask.id()).orElseThrow().status()).isEqualTo(InquiryStatus.CANCELLED);
        assertThat(executions.find(build.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.CANCELLED);
        complete(build, "{}"); // the worker's late report changes nothing and starts nothing
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> actionRefs(workflow).size() == 2);
        assertThat(executions.find(build.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.CANCELLED);
    }

    @Test
    void cancellingTheWorkflowsInquiryCancelsTheWorkflow() {
        Execution workflow = start("tests.cancel_inquiry", """
                tasks:
                  ask: {inquiry: {prompt: "Release?"}, next: [{do: after}]}
                  slow: {action: tests.slow}
                  after: {action: tests.after}
                """, "{}");
        Execution slow = awaitChild(workflow, "tests.slow");
        Inquiry ask = awaitPendingInquiry(workflow);
        inquiryTransitions.cancel(ask.id(), Actor.SYSTEM, UUID.randomUUID());
        awaitStatus(workflow.id(), ExecutionStatus.CANCELLED);
        assertThat(executions.find(slow.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(actionRefs(workflow)).doesNotContain("tests.after");
    }

    @Test
    void aRepeatedStepChangesNothing() {
        Execution workflow = start("tests.repeat", """
                tasks:
                  one: {action: tests.one, next: [{do: two}]}
                  two: {action: tests.two}
                """, "{}");
        Execution one = awaitChild(workflow, "tests.one");
        complete(one, "{}");
        awaitChild(workflow, "tests.two");
        // a redelivered ExecutionStatusChanged, a redelivered ExecutionRequested: both are no-ops
        assertThat(engine.onTaskChanged(one.id(), workflow.id(), UUID.randomUUID())).isEqualTo(WorkflowEngine.Outcome.ALREADY_DONE);
        assertThat(engine.start(workflow.id(), UUID.randomUUID())).isEqualTo(WorkflowEngine.Outcome.ALREADY_DONE);
        assertThat(actionRefs(workflow)).containsExactly("tests.one", "tests.two");
    }

    @Test
    void anExpressionThatFailsOnTheValuesFailsTheWorkflowWithTheReason() {
        Execution workflow = start("tests.eval_error", """
                tasks:
                  one: {action: tests.one, next: [{when: "result.missing.deep == 1", do: two}]}
                  two: {action: tests.two}
                """, "{}");
        complete(awaitChild(workflow, "tests.one"), "{}");
        Execution failed = awaitStatus(workflow.id(), ExecutionStatus.FAILED);
        assertThat(failed.result().path("error").asString()).contains("result.missing.deep == 1");
    }

    @Test
    void aSecretAnswerDecidesTheBranchButIsShownMaskedEverywhere(CapturedOutput output) {
        String secret = "zq8-Wf-Secret-4711";
        // the condition reads the secret without spelling it, so only a real value takes the 'accepted' branch
        Execution workflow = start("tests.secret_answer", """
                tasks:
                  ask:
                    inquiry: {prompt: "Unlock code?", response_schema: {type: object, required: [approved, code], properties: {approved: {type: boolean}, code: {type: string, secret: true}}}}
                    next:
                      - {when: "result.response.code.endsWith('-4711')", do: accepted}
                      - {when: "!result.response.code.endsWith('-4711')", do: refused}
                  accepted: {action: tests.accepted, input: {approved: "${tasks.ask.result.response.approved}"}}
                  refused: {action: tests.refused}
                """, "{}");
        Inquiry ask = awaitPendingInquiry(workflow);
        Identity approver = identity();
        inquiryTransitions.respond(ask.id(), actor(approver),
                Json.tree("{\"approved\": true, \"code\": \"" + secret + "\"}"), UUID.randomUUID());
        complete(awaitChild(workflow, "tests.accepted"), "{}");
        Execution done = awaitStatus(workflow.id(), ExecutionStatus.COMPLETED);
        assertThat(actionRefs(workflow)).as("the decision used the real answer")
                .containsExactly(WorkflowEngine.ASK, "tests.accepted");

        // the engine's own record keeps the value; the workflow's result shows it masked
        assertThat(workflows.taskRuns(workflow.id()).get(0).result().at("/result/response/code").asString())
                .isEqualTo(secret);
        assertThat(done.result().at("/tasks/ask/result/response/code").asString()).isEqualTo(SecretMask.MASK);
        assertThat(done.result().at("/tasks/ask/result/response/approved").asBoolean()).isTrue();

        // what the API serves (the same components its controllers use), the history and every stored event
        Actor admin = new Actor(requester.id(), requester.login(), Set.of(Role.ADMIN));
        List<String> shown = new ArrayList<>();
        shown.add(Json.mapper().writeValueAsString(resultMask.view(done)));
        shown.add(Json.mapper().writeValueAsString(chains.workflow(workflow.id(), admin)));
        chains.children(workflow.id(), admin).forEach(c -> shown.add(Json.mapper()
                .writeValueAsString(resultMask.view(c))));
        chains.inquiries(workflow.id(), admin).forEach(i -> shown.add(Json.mapper().writeValueAsString(i.toView())));
        shown.addAll(jdbc.sql("SELECT a::text FROM attune.inquiry_audit a WHERE inquiry = ?").param(ask.id())
                .query(String.class).list());
        List<String> events = jdbc.sql("SELECT envelope::text FROM attune.event WHERE execution_id IN "
                        + "(SELECT id FROM attune.execution WHERE id = ? OR parent = ?)")
                .params(workflow.id(), workflow.id()).query(String.class).list();
        assertThat(events).as("the workflow's and its runs' events").hasSizeGreaterThan(5);
        shown.addAll(events);
        assertThat(shown).noneMatch(text -> text.contains(secret));
        assertThat(shown).anyMatch(text -> text.contains(SecretMask.MASK));
        assertThat(output.getAll()).doesNotContain(secret);
    }

    @Test
    void anEvaluationErrorQuotingASecretIsShownMasked(CapturedOutput output) {
        String secret = "zq8-Wf-Secret-0815";
        Execution workflow = start("tests.secret_error", """
                tasks:
                  ask:
                    inquiry: {prompt: "Port?", response_schema: {type: object, required: [port], properties: {port: {type: string, secret: true}}}}
                    next: [{when: "int(result.response.port) > 0", do: open}]
                  open: {action: tests.open}
                """, "{}");
        inquiryTransitions.respond(awaitPendingInquiry(workflow).id(), actor(identity()),
                Json.tree("{\"port\": \"" + secret + "\"}"), UUID.randomUUID());
        Execution failed = awaitStatus(workflow.id(), ExecutionStatus.FAILED);
        String error = failed.result().path("error").asString();
        assertThat(error).contains("could not be evaluated").contains(SecretMask.MASK).doesNotContain(secret);
        assertThat(workflows.decisions(workflow.id())).extracting(WorkflowRepository.Decision::reason)
                .noneMatch(reason -> reason != null && reason.contains(secret));
        assertThat(jdbc.sql("SELECT envelope::text FROM attune.event WHERE execution_id = ?").param(workflow.id())
                .query(String.class).list()).noneMatch(text -> text.contains(secret));
        assertThat(output.getAll()).doesNotContain(secret);
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private Execution start(String ref, String yaml, String parameters) {
        WorkflowDefinition definition = WorkflowParser.parse(ref, ref + ".yaml", yaml);
        workflows.register(ref, ref + ".yaml", yaml, definition.checksum(), definition.input(), null,
                definition.outline());
        return launch.start(workflows.definition(ref).orElseThrow(), Json.tree(parameters), actor(requester),
                UUID.randomUUID());
    }

    private static Actor actor(Identity identity) {
        return new Actor(identity.id(), identity.login(), Set.of(Role.USER));
    }

    private Execution awaitChild(Execution workflow, String actionRef) {
        return await().atMost(WAIT).until(() -> executions.children(workflow.id()).stream()
                .filter(c -> c.actionRef().equals(actionRef)).reduce((a, b) -> b), java.util.Optional::isPresent)
                .orElseThrow();
    }

    private Inquiry awaitPendingInquiry(Execution workflow) {
        return await().atMost(WAIT).until(() -> inquiries.ofChain(workflow.id()).stream()
                .filter(i -> i.status() == InquiryStatus.PENDING).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
    }

    private List<String> actionRefs(Execution workflow) {
        return executions.children(workflow.id()).stream().map(Execution::actionRef).toList();
    }

    private void complete(Execution child, String result) {
        JsonNode json = Json.tree(result);
        worker.publish(report(child, ExecutionStatus.COMPLETED, json));
    }
}
