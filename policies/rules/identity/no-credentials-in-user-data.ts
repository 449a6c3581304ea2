import { resourceRule } from "../../lib/rule";
import { isUnknown } from "../../lib/props";

const TYPES = ["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance", "aws:ec2/launchConfiguration:LaunchConfiguration"];

/** Patterns of hard-coded credentials (the AWS key formats are AWS's own; the rest name the secret). */
const PATTERNS: [string, RegExp][] = [
    ["an AWS access key ID", /\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/],
    ["an AWS secret access key", /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+=]{40}/i],
    ["a private key", /-----BEGIN (RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----/],
    ["a password assignment", /\b[A-Z_]*(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_KEY)[A-Z_]*\s*[=:]\s*["']?[^\s"'$]{6,}/i],
];

/** user data as written: launch templates take base64, instances plain text or base64. */
function decoded(props: Record<string, any>): string {
    const out: string[] = [];
    for (const k of ["userData", "userDataBase64"]) {
        const v = props[k];
        if (typeof v !== "string" || !v || isUnknown(v)) continue;
        out.push(v);
        if (/^[A-Za-z0-9+/=\s]+$/.test(v)) out.push(Buffer.from(v, "base64").toString("utf8"));
    }
    return out.join("\n");
}

export const noCredentialsInUserData = resourceRule({
    name: "no-credentials-in-user-data",
    description: "EC2 user data must not contain credentials (access keys, private keys, passwords, tokens): anyone who can describe the instance reads it.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["credentials", "secrets", "compute"],
    resourceTypes: TYPES,
    peers: { checkov: ["CKV_AWS_46"] },
    remediation: "give the instance a role (instance profile) and read secrets from Secrets Manager or SSM Parameter Store at boot.",
    check: ({ props }, report) => {
        const text = decoded(props);
        if (!text) return;
        for (const [what, re] of PATTERNS) if (re.test(text)) report(`The user data contains ${what}.`);
    },
});
