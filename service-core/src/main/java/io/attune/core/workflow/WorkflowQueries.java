package io.attune.core.workflow;

import io.attune.core.error.DomainException;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.identity.Actor;
import io.attune.core.inquiry.ExecutionVisibility;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.model.ExecutionStatus;
import io.attune.model.rest.WorkflowView;
import org.springframework.stereotype.Service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What people read of an execution chain: its task runs, its inquiries, the workflow with its decisions. Readable by
 * whoever may read the execution, and by whoever may see an inquiry anywhere in its chain (an approver sees the
 * workflow around the question); 404 for anyone else, as if it did not exist.
 */
@Service
public class WorkflowQueries {
    private final ExecutionVisibility visibility;
    private final ExecutionRepository executions;
    private final InquiryRepository inquiries;
    private final WorkflowRepository workflows;

    public WorkflowQueries(ExecutionVisibility visibility, ExecutionRepository executions,
                           InquiryRepository inquiries, WorkflowRepository workflows) {
        this.visibility = visibility;
        this.executions = executions;
        this.inquiries = inquiries;
        this.workflows = workflows;
    }

    /** The task runs of the execution, oldest first. */
    public List<Execution> children(long id, Actor actor) {
        readable(id, actor);
        return executions.children(id);
    }

    /** Every inquiry of the chain the actor may see, oldest first. */
    public List<Inquiry> inquiries(long id, Actor actor) {
        readable(id, actor);
        return inquiries.ofChain(id).stream().filter(i -> actor.canSee(i.assignment())).toList();
    }

    public WorkflowView workflow(long id, Actor actor) {
        Execution execution = readable(id, actor);
        WorkflowRepository.Run run = workflows.run(id)
                .orElseThrow(() -> DomainException.notFound("execution " + id + " is not a workflow"));
        Map<Long, ExecutionStatus> statuses = new HashMap<>();
        executions.children(id).forEach(child -> statuses.put(child.id(), child.status()));
        return new WorkflowView(id, run.ref(), execution.status(), run.outline(),
                workflows.taskRuns(id).stream().map(r -> new WorkflowView.TaskRun(r.id(), r.task(), r.execution(),
                        statuses.get(r.execution()), r.causedBy(), r.finished())).toList(),
                workflows.decisions(id).stream().map(d -> new WorkflowView.Decision(d.task(), d.outcome(),
                        d.chosen(), d.reason(), d.created())).toList());
    }

    private Execution readable(long id, Actor actor) {
        try {
            return visibility.visible(id, actor);
        } catch (DomainException notVisible) {
            if (inquiries.ofChain(id).stream().anyMatch(i -> actor.canSee(i.assignment()))) {
                return executions.find(id).orElseThrow(() -> notVisible);
            }
            throw notVisible;
        }
    }
}
