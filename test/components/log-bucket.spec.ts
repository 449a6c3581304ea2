import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { logBucket } from "../../components/log-bucket";
import { RULES } from "../../policies/rules";
import { evaluatePolicies } from "../../tools/offline/policy-runner";
import { runStack, RunResult } from "../../tools/offline/stack-runner";

class Holder extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Holder", name, {});
    }
}

describe("logBucket", () => {
    let run: RunResult;
    before(async () => {
        run = await runStack({
            stack: "us-east-1",
            program: async () => {
                logBucket(
                    "audit",
                    {
                        keyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
                        logClass: "security-audit",
                        tags: { "data-domain": "audit" },
                        retentionDays: 400,
                        glacierAfterDays: 90,
                        writerStatements: (arn) => [
                            {
                                Sid: "Writer",
                                Effect: "Allow",
                                Principal: { Service: "delivery.logs.amazonaws.com" },
                                Action: "s3:PutObject",
                                Resource: `${arn}/*`,
                                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
                            },
                        ],
                    },
                    new Holder("holder"),
                );
                return {};
            },
        });
        expect(run.error).to.equal(undefined);
    });
    const one = (type: string) => {
        const found = run.resources.filter((r) => r.type === type);
        expect(found, type).to.have.length(1);
        return found[0];
    };

    it("is protected, private, SSE-KMS with a bucket key, versioned and expires after the retention", () => {
        const bucket = one("aws:s3/bucket:Bucket");
        expect(bucket.options.protect).to.equal(true);
        expect(bucket.inputs.forceDestroy).to.equal(false);
        expect(one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
        expect(one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).to.include({
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        expect((one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules as any[])[0]).to.deep.equal({
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/k" },
            bucketKeyEnabled: true,
        });
        expect(one("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
        const rule = (one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as any[])[0];
        expect(rule.expiration).to.deep.equal({ days: 400 });
        expect(rule.transitions).to.deep.equal([{ days: 90, storageClass: "GLACIER_IR" }]);
        for (const r of run.resources.filter((x) => x.type.startsWith("aws:s3/bucket") && x.type !== "aws:s3/bucket:Bucket"))
            expect(r.parent).to.equal(bucket.urn);
    });

    it("is tagged as a log bucket, so the pack's S3 rules (access logging included) find nothing to report", async () => {
        expect(one("aws:s3/bucket:Bucket").inputs.tags).to.deep.equal({ "data-domain": "audit", "log-class": "security-audit" });
        const { violations } = await evaluatePolicies(run.resources, { rules: RULES.filter((r) => r.name.startsWith("s3-")) });
        expect(violations).to.deep.equal([]);
    });

    it("puts a TLS-only deny in front of the caller's writer statements, after encryption and the public access block", () => {
        const policy = one("aws:s3/bucketPolicy:BucketPolicy");
        const doc = JSON.parse(String(policy.inputs.policy));
        expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).to.deep.equal(["DenyInsecureTransport", "Writer"]);
        expect(doc.Statement[0]).to.deep.include({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        const deps = policy.options.dependencies;
        expect(deps.some((u) => u.endsWith("::audit-public-access"))).to.equal(true);
        expect(deps.some((u) => u.endsWith("::audit-sse"))).to.equal(true);
    });
});
