/**
 * IAM actions by the risk they carry when granted on every resource. The sets are the
 * ones Checkov's CKV_AWS_286-290 take from Cloudsplaining (salesforce/cloudsplaining,
 * shared/default-exclusions and scan/policy_document.py; privilege escalation per
 * Rhino Security Labs' "AWS IAM privilege escalation methods"), retrieved 2026-11-29.
 */

/** Combinations that let a principal raise its own privileges: holding all of one set is enough. */
export const PRIVILEGE_ESCALATION: readonly (readonly string[])[] = [
    ["iam:CreatePolicyVersion"],
    ["iam:SetDefaultPolicyVersion"],
    ["iam:PassRole", "ec2:RunInstances"],
    ["iam:CreateAccessKey"],
    ["iam:CreateLoginProfile"],
    ["iam:UpdateLoginProfile"],
    ["iam:AttachUserPolicy"],
    ["iam:AttachGroupPolicy"],
    ["iam:AttachRolePolicy", "sts:AssumeRole"],
    ["iam:PutUserPolicy"],
    ["iam:PutGroupPolicy"],
    ["iam:PutRolePolicy", "sts:AssumeRole"],
    ["iam:AddUserToGroup"],
    ["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    ["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
    ["lambda:UpdateFunctionCode"],
    ["iam:PassRole", "glue:CreateDevEndpoint"],
    ["glue:UpdateDevEndpoint"],
    ["iam:PassRole", "cloudformation:CreateStack"],
    ["iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"],
];

/** Actions that return credentials, passwords or tokens. */
export const CREDENTIALS_EXPOSURE = [
    "chime:CreateApiKey",
    "codepipeline:PollForJobs",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-identity:GetCredentialsForIdentity",
    "connect:GetFederationToken",
    "connect:GetFederationTokens",
    "ec2:GetPasswordData",
    "gamelift:RequestUploadCredentials",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UpdateAccessKey",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "rds-db:Connect",
    "redshift:GetClusterCredentials",
    "sso:GetRoleCredentials",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSaml",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
];

/**
 * ecr:GetAuthorizationToken is left out on purpose: AWS only accepts it on Resource "*" (the token
 * is scoped by the repository policies), and Cloudsplaining's default exclusions leave it out too.
 */

/**
 * Write actions that name no resource type in the AWS Service Authorization Reference, so "*" is
 * the only Resource they can have (retrieved 2026-11-29).
 */
export const UNSCOPABLE_WRITES = ["xray:PutTelemetryRecords", "xray:PutTraceSegments", "cloudwatch:PutMetricData"];

/** Actions that read data out: objects, parameters and secrets. */
export const DATA_EXFILTRATION = ["s3:GetObject", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "secretsmanager:GetSecretValue"];

/** Verbs of IAM's "Permissions management" access level: they change who may do what. */
export const PERMISSIONS_MANAGEMENT_VERBS =
    /^(Attach|Detach|Put|Delete|Create|Update|Set|Add|Remove)(User|Group|Role)?(Policy|PolicyVersion|Permission|Permissions|RolePolicy|UserPolicy|GroupPolicy|AssumeRolePolicy|DefaultPolicyVersion|ResourcePolicy|BucketPolicy|BucketAcl|ObjectAcl|KeyPolicy|Grant|TopicPolicy|QueuePolicy|ToGroup|FromGroup)|^(PutBucketPolicy|PutBucketAcl|PutObjectAcl|CreateGrant|RetireGrant|RevokeGrant|PutKeyPolicy|AddPermission|RemovePermission|SetQueueAttributes|SetTopicAttributes|PutResourcePolicy|PassRole)$/;

/** Verbs that only read (IAM's List and Read access levels, by naming convention). */
export const READ_VERBS =
    /^(Get|List|Describe|View|Search|Lookup|BatchGet|Query|Scan|Select|Check|Validate|Estimate|Preview|Simulate|Test|Head|Poll|Receive|Download|Export|Discover|Verify|Filter)/;

/** The action names a statement lists, split into service and verb (`s3:Put*` → s3, Put*). */
export function listedActions(s: { Action?: string | string[] }): { service: string; verb: string; action: string }[] {
    const actions = s.Action === undefined ? [] : Array.isArray(s.Action) ? s.Action : [s.Action];
    return actions
        .map(String)
        .filter((a) => a.includes(":"))
        .map((a) => ({ service: a.split(":")[0], verb: a.split(":")[1], action: a }));
}
