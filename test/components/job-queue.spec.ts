import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { CONSUMER_ACTIONS, JOB_QUEUE_DEFAULTS, PRODUCER_ACTIONS, SCALER_ACTIONS } from "../../components/job-queue";
import { keyPolicy } from "../../components/kms-keys";
import { CapturedResource } from "../../tools/offline/mock-engine";
import { RunResult } from "../../tools/offline/stack-runner";
import { allStacks, ofType, REGIONAL_STACKS, STANDBY_STACKS } from "../support/fixtures";
import { toPlanFile } from "../../tools/offline/plan-file";
import { computeCapacity } from "../../tools/offline/capacity/compute";

type Any = Record<string, any>;
const QUEUE = "aws:sqs/queue:Queue";
const FACTS = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "test", "upstream", "sqs", "queue-attributes.json"), "utf8"));

const queues = (run: RunResult) => ofType(run, QUEUE);
const jobs = (run: RunResult) => queues(run).find((q) => String(q.inputs.name).endsWith("-jobs"))!;
const dlq = (run: RunResult) => queues(run).find((q) => String(q.inputs.name).endsWith("-dlq"))!;
const policyOf = (run: RunResult, q: CapturedResource) =>
    JSON.parse(String(ofType(run, "aws:sqs/queuePolicy:QueuePolicy").find((p) => p.parent === q.urn)!.inputs.policy));
const roleFor = (run: RunResult, serviceAccount: string) => {
    const assoc = ofType(run, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => a.inputs.serviceAccount === serviceAccount)!;
    const role = run.resources.find((r) => r.urn === assoc.parent)!;
    const policy = JSON.parse(String(run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.parent === role.urn)!.inputs.policy));
    return { assoc, role, policy };
};

describe("JobQueue: the background-job queue of every regional stack", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    for (const stack of REGIONAL_STACKS) {
        it(`${stack}${STANDBY_STACKS.includes(stack) ? " (standby, empty until a failover)" : ""}: a queue and its dead-letter queue, on the region's queue key, protected`, () => {
            const run = runs[stack];
            expect(queues(run)).to.have.length(2);
            const key = ofType(run, "aws:kms/key:Key").find((k) => (k.inputs.tags as Any)["data-domain"] === "queue")!;
            for (const q of [jobs(run), dlq(run)]) {
                expect(q.inputs.kmsMasterKeyId, q.name).to.equal(run.resources.find((r) => r.urn === key.urn)!.identity!.arn);
                expect(q.options.protect, q.name).to.equal(true);
            }
            const redrive = JSON.parse(String(jobs(run).inputs.redrivePolicy));
            expect(redrive).to.deep.equal({ deadLetterTargetArn: dlq(run).identity!.arn, maxReceiveCount: 5 });
            const allow = ofType(run, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy")[0];
            expect(JSON.parse(String(allow.inputs.redriveAllowPolicy))).to.deep.equal({
                redrivePermission: "byQueue",
                sourceQueueArns: [jobs(run).identity!.arn],
            });
        });
    }

    it("lets only the backend, the worker and KEDA use the queue, each with its own actions, and refuses plain HTTP", () => {
        const run = runs["eu-west-1"];
        const producer = roleFor(run, "bookedbarber-backend");
        const consumer = roleFor(run, "bookedbarber-worker");
        const scaler = roleFor(run, "keda-operator");
        expect(producer.assoc.inputs.namespace).to.equal("bookedbarber");
        expect(scaler.assoc.inputs.namespace).to.equal("keda");
        const statements = policyOf(run, jobs(run)).Statement as Any[];
        const allows = statements.filter((s) => s.Effect === "Allow");
        expect(allows.map((s) => [s.Principal.AWS, s.Action])).to.deep.equal([
            [producer.role.identity!.arn, PRODUCER_ACTIONS],
            [consumer.role.identity!.arn, CONSUMER_ACTIONS],
            [scaler.role.identity!.arn, SCALER_ACTIONS],
        ]);
        expect(statements.find((s) => s.Effect === "Deny")).to.deep.include({
            Principal: "*",
            Action: "sqs:*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
        expect((policyOf(run, dlq(run)).Statement as Any[]).filter((s) => s.Effect === "Allow").map((s) => s.Principal.AWS)).to.deep.equal([
            consumer.role.identity!.arn,
        ]);
        // The roles' own policies: the queue ARN, never "*"; KMS through the queue key only for those that read or write messages.
        expect(producer.policy.Statement[0].Resource).to.deep.equal([jobs(run).identity!.arn]);
        expect(producer.policy.Statement[1].Action).to.deep.equal(["kms:GenerateDataKey", "kms:Decrypt"]);
        expect(scaler.policy.Statement).to.have.length(1);
    });

    it("keeps SQS's own ranges (test/upstream/sqs), and a dead-letter retention longer than the queue's", () => {
        const d = JOB_QUEUE_DEFAULTS;
        const within = (v: number, r: { min: number; max: number }) => v >= r.min && v <= r.max;
        expect(within(d.visibilityTimeoutSeconds, FACTS.VisibilityTimeout)).to.equal(true);
        expect(within(d.messageRetentionSeconds, FACTS.MessageRetentionPeriod)).to.equal(true);
        expect(d.deadLetterRetentionSeconds).to.equal(FACTS.MessageRetentionPeriod.max);
        expect(within(d.receiveWaitTimeSeconds, FACTS.ReceiveMessageWaitTimeSeconds)).to.equal(true);
        expect(within(d.maxReceiveCount, FACTS.maxReceiveCount)).to.equal(true);
        expect(within(d.kmsDataKeyReusePeriodSeconds, FACTS.KmsDataKeyReusePeriodSeconds)).to.equal(true);
        expect(d.deadLetterRetentionSeconds).to.be.greaterThan(d.messageRetentionSeconds);
    });

    it("the capacity model counts the workers at their maximum on the general group, and the cluster cap with them", () => {
        const plan = toPlanFile(runs["us-east-1"], { violations: [] });
        const targets = computeCapacity(plan, 50000).targets;
        const workers = targets.find((t) => t.target.startsWith("workers at maxReplicaCount"))!;
        expect(workers.met).to.equal(true);
        expect(workers.detail).to.match(/^100 workers \(600m\/640Mi with the sidecar\) \/ 12 per m7g\.2xlarge = 9 nodes/);
        expect(targets.find((t) => t.target.startsWith("nodes at peak"))!.detail).to.contain("with 9 for the job workers");
        // Mutation: a worker maximum the general group cannot hold is reported.
        const big = JSON.parse(JSON.stringify(plan)) as typeof plan;
        (big.resources.find((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject")!.inputs.spec as Any).maxReplicaCount = 1000;
        expect(computeCapacity(big, 50000).targets.find((t) => t.target.startsWith("workers at maxReplicaCount"))!.met).to.equal(false);
    });

    it("the queue key is usable only through SQS", () => {
        const policy = JSON.parse(keyPolicy("queue", "eu-west-1", "123456789012", "arn:aws:iam::123456789012:role/asg"));
        const use = policy.Statement.find((s: Any) => s.Sid === "AccountPrincipalsUseKeyOnlyThroughNamedServices");
        expect(JSON.stringify(use.Condition)).to.contain("sqs.eu-west-1.amazonaws.com");
    });
});
