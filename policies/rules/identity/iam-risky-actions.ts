import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";
import { identityDocuments, IDENTITY_POLICY_TYPES, label, unconstrainedActions, unconstrainedAllows } from "../../lib/policy-documents";
import { CREDENTIALS_EXPOSURE, DATA_EXFILTRATION, PERMISSIONS_MANAGEMENT_VERBS, PRIVILEGE_ESCALATION, READ_VERBS } from "../../lib/risky-actions";

/** The action names a statement lists, split into service and verb (`s3:Put*` → s3, Put*). */
function listed(s: { Action?: string | string[] }): { service: string; verb: string; action: string }[] {
    return asArray<string>(s.Action).map(String).filter((a) => a.includes(":")).map((a) => ({ service: a.split(":")[0], verb: a.split(":")[1], action: a }));
}

export const iamRiskyActions = resourceRule({
    name: "iam-risky-actions",
    description: "No IAM policy may grant, on every resource and with no condition: privilege escalation, credential-returning actions, data exfiltration (objects, parameters, secrets), permissions management or any write action.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["iam", "least-privilege"],
    resourceTypes: IDENTITY_POLICY_TYPES,
    peers: { checkov: ["CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289", "CKV_AWS_290", "CKV_AWS_355"] },
    remediation: "name the resources (ARNs) each write or read-out action applies to, or narrow it with a condition (aws:ResourceTag, aws:RequestTag, aws:SourceVpce); actions AWS cannot scope to a resource (e.g. ec2:Describe*) are fine on \"*\".",
    check: ({ type, props }, report) => {
        for (const doc of identityDocuments(type, props)) {
            for (const set of PRIVILEGE_ESCALATION) {
                if (unconstrainedActions(doc, set).length === set.length) report(`The policy allows ${set.join(" + ")} on every resource: privilege escalation.`);
            }
            const creds = unconstrainedActions(doc, CREDENTIALS_EXPOSURE);
            if (creds.length) report(`The policy allows ${creds.join(", ")} on every resource: credentials exposure.`);
            const exfil = unconstrainedActions(doc, DATA_EXFILTRATION);
            if (exfil.length) report(`The policy allows ${exfil.join(", ")} on every resource: data exfiltration.`);
            unconstrainedAllows(doc).forEach((s, i) => {
                // "*" itself is iam-no-wildcard-actions'; here the named actions and service wildcards.
                const flagged = [...CREDENTIALS_EXPOSURE, ...DATA_EXFILTRATION].map((a) => a.toLowerCase());
                const writes = listed(s).filter(({ verb, action }) => !READ_VERBS.test(verb) && !flagged.includes(action.toLowerCase()));
                const perms = listed(s).filter(({ verb }) => PERMISSIONS_MANAGEMENT_VERBS.test(verb.replace(/\*$/, "")));
                if (perms.length) report(`${label(s, i)} allows permissions management (${perms.map((p) => p.action).join(", ")}) on every resource.`);
                const other = writes.filter((w) => !perms.includes(w));
                if (other.length) report(`${label(s, i)} allows write actions (${other.map((w) => w.action).join(", ")}) on every resource with no condition.`);
            });
        }
    },
});
