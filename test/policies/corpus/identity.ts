import { doc, githubPinned, githubTrust, one, scopedPolicy, serviceTrust } from "./base";
import { CorpusCase } from "./types";

const POLICY = "aws:iam/policy:Policy";
const ROLE = "aws:iam/role:Role";
const RP = "aws:iam/rolePolicy:RolePolicy";
const USER = "aws:elasticache/user:User";
const allow = (Action: string | string[], Resource: string | string[] = "*", extra: object = {}) => doc({ Effect: "Allow", Action, Resource, ...extra });
const policy = (p: string) => one(POLICY, { policy: p });
/** The same grant as an object rather than a JSON string (some programs pass documents that way). */
const asObject = (p: string) => JSON.parse(p) as object;

export const IDENTITY_CASES: CorpusCase[] = [
    {
        rule: "iam-no-wildcard-actions",
        peer: "CKV_AWS_63",
        what: 'Action "*" on a bucket',
        good: policy(scopedPolicy),
        bad: policy(allow("*", "arn:aws:s3:::orders-exports/*")),
    },
    {
        rule: "iam-no-wildcard-actions",
        peer: "CKV_AWS_62",
        what: "administrator policy inline on a role",
        good: one(ROLE, { assumeRolePolicy: serviceTrust, inlinePolicies: [{ name: "app", policy: scopedPolicy }] }),
        bad: one(ROLE, { assumeRolePolicy: serviceTrust, inlinePolicies: [{ name: "app", policy: allow("*") }] }),
    },
    {
        rule: "iam-no-admin-managed-policy",
        peer: "CKV_AWS_274",
        what: "AdministratorAccess attached",
        good: one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
        bad: one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
    },
    {
        rule: "iam-no-wildcard-actions",
        peer: "issue-14",
        what: "full IAM (iam:*) as a policy object",
        good: one(RP, { role: "r", policy: asObject(scopedPolicy) }),
        bad: one(RP, { role: "r", policy: asObject(allow("iam:*", "arn:aws:iam::123456789012:role/app-*")) }),
    },
    {
        rule: "iam-no-privilege-escalation",
        peer: "CKV_AWS_286",
        what: "privilege escalation through CreatePolicyVersion",
        good: policy(scopedPolicy),
        bad: policy(allow("iam:CreatePolicyVersion")),
    },
    {
        rule: "iam-no-privilege-escalation",
        peer: "CKV_AWS_286",
        what: "PassRole + RunInstances",
        good: policy(allow(["ec2:DescribeInstances", "ec2:DescribeImages"])),
        bad: policy(allow(["iam:PassRole", "ec2:RunInstances"])),
    },
    {
        rule: "iam-no-credentials-exposure",
        peer: "CKV_AWS_287",
        what: 'credentials exposure (ECR\'s token, which only exists on "*", passes)',
        good: policy(allow("ecr:GetAuthorizationToken")),
        bad: policy(allow(["iam:CreateAccessKey", "sts:GetSessionToken"])),
    },
    {
        rule: "iam-no-data-exfiltration",
        peer: "CKV_AWS_288",
        what: "data exfiltration",
        good: policy(allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-*")),
        bad: policy(allow(["s3:GetObject", "secretsmanager:GetSecretValue"])),
    },
    {
        rule: "iam-no-permissions-management",
        peer: "CKV_AWS_289",
        what: "permissions management on every resource",
        good: policy(scopedPolicy),
        bad: policy(allow(["s3:PutBucketPolicy", "kms:CreateGrant"])),
    },
    {
        rule: "iam-no-unconstrained-write",
        peer: "CKV_AWS_290",
        what: "write on every resource",
        good: policy(allow("s3:PutObject", "arn:aws:s3:::orders-exports/*")),
        bad: policy(allow(["s3:PutObject", "dynamodb:DeleteTable"])),
    },
    {
        rule: "iam-no-unconstrained-write",
        peer: "CKV_AWS_290",
        what: 'writes that cannot be scoped pass on "*"',
        good: policy(allow(["xray:PutTelemetryRecords", "xray:PutTraceSegments"])),
        bad: policy(allow(["xray:PutTraceSegments", "sqs:DeleteQueue"])),
    },
    {
        rule: "iam-no-wildcard-on-all-resources",
        peer: "CKV_AWS_355",
        what: "restrictable service wildcard on every resource",
        good: policy(allow("sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:orders")),
        bad: policy(allow("sqs:*")),
    },
    {
        rule: "iam-no-wildcard-on-all-resources",
        peer: "CKV_AWS_355",
        what: "ec2:Describe* on every resource (an unscopable action by name passes)",
        good: policy(allow("s3:ListAllMyBuckets")),
        bad: policy(allow("ec2:Describe*")),
    },
    {
        rule: "iam-no-unconstrained-write",
        peer: "CKV_AWS_290",
        what: "a tag condition constrains writes on every resource",
        good: policy(allow("ec2:CreateTags", "*", { Condition: { StringEquals: { "aws:RequestTag/owner": "platform" } } })),
        bad: policy(allow("ec2:CreateTags")),
    },
    {
        rule: "iam-oidc-subject-pinned",
        peer: "CKV_AWS_393",
        what: "GitHub OIDC without a subject",
        good: one(ROLE, { assumeRolePolicy: githubTrust(githubPinned) }),
        bad: one(ROLE, { assumeRolePolicy: githubTrust({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }) }),
    },
    {
        rule: "iam-oidc-subject-pinned",
        peer: "CKV_AWS_358",
        what: "GitHub OIDC with no condition at all",
        good: one(ROLE, { assumeRolePolicy: githubTrust(githubPinned) }),
        bad: one(ROLE, { assumeRolePolicy: githubTrust() }),
    },
    {
        rule: "iam-oidc-subject-pinned",
        peer: "CKV_AWS_358",
        what: 'GitHub OIDC subject "*"',
        good: one(ROLE, { assumeRolePolicy: githubTrust(githubPinned) }),
        bad: one(ROLE, { assumeRolePolicy: githubTrust({ StringLike: { "token.actions.githubusercontent.com:sub": "*" } }) }),
    },
    {
        rule: "iam-trust-no-wildcard",
        peer: "CKV_AWS_60",
        what: "anyone may assume",
        good: one(ROLE, { assumeRolePolicy: serviceTrust }),
        bad: one(ROLE, { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) }),
    },
    {
        rule: "iam-no-user-policies",
        peer: "CKV_AWS_40",
        what: "policy attached to a user",
        good: one("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", { group: "ops", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
        bad: one("aws:iam/userPolicyAttachment:UserPolicyAttachment", { user: "alice", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
    },
    {
        rule: "iam-no-user-policies",
        peer: "aws-iam-policy-attachment-only-attachment-through-groups",
        what: "policy attachment naming users",
        good: one("aws:iam/policyAttachment:PolicyAttachment", { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess", groups: ["ops"] }),
        bad: one("aws:iam/policyAttachment:PolicyAttachment", { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess", users: ["alice"] }),
    },
    {
        rule: "lambda-permission-scoped",
        peer: "CKV_AWS_364",
        what: "a service may invoke a function for any account",
        good: one("aws:lambda/permission:Permission", {
            action: "lambda:InvokeFunction",
            function: "rotate",
            principal: "secretsmanager.amazonaws.com",
            sourceArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-AbCdEf",
            sourceAccount: "123456789012",
        }),
        bad: one("aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "rotate", principal: "secretsmanager.amazonaws.com" }),
    },
    {
        rule: "lambda-permission-scoped",
        peer: "CKV_AWS_301",
        what: "anyone may invoke a function",
        good: one("aws:lambda/permission:Permission", {
            action: "lambda:InvokeFunction",
            function: "remind",
            principal: "events.amazonaws.com",
            sourceArn: "arn:aws:events:eu-west-1:123456789012:rule/daily",
        }),
        bad: one("aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "remind", principal: "*" }),
    },
    {
        rule: "lambda-nodejs-runtime-supported",
        peer: "CKV_AWS_363",
        what: "a Lambda function on a deprecated Node.js runtime",
        good: one("aws:lambda/function:Function", { role: "arn:aws:iam::123456789012:role/fn", runtime: "nodejs22.x", handler: "index.handler" }),
        bad: one("aws:lambda/function:Function", { role: "arn:aws:iam::123456789012:role/fn", runtime: "nodejs20.x", handler: "index.handler" }),
    },
    {
        rule: "elasticache-user-iam-auth",
        peer: "issue-15",
        what: "the application's cache user on a long-lived password",
        good: () => [...cacheUsers({ type: "iam" })()],
        bad: () => [...cacheUsers({ type: "password", passwords: ["[secret]"] })()],
    },
];

/** A user group's two users as RedisGlobal makes them: the disabled stand-in default (password) and the app user (`app`). */
function cacheUsers(app: Record<string, unknown>) {
    return () => [
        ...one(USER, {
            userId: "cache-default",
            userName: "default",
            engine: "valkey",
            accessString: "off -@all",
            authenticationMode: { type: "password", passwords: ["[secret]"] },
        })(),
        ...one(USER, {
            userId: "cache-app",
            userName: "cache-app",
            engine: "valkey",
            accessString: "on ~eu-west-1:* +@all -@dangerous",
            authenticationMode: app,
        })(),
    ];
}
