import { PolicyPack } from "@pulumi/policy";
import { RULES } from "./rules";

// The CLI runs this file (compiled to dist/policies/index.js, see policies/package.json).
// Enforcement levels are the rules' defaults; `--policy-pack-config <file>` overrides them per rule, or for
// every rule with "all" (a rule's own entry wins). A property a rule does not declare fails that rule rather
// than being ignored (lib/rule.ts); `npm run policy-check -- --config <file>` checks the whole file first
// (lib/pack-config.ts, docs/offline-tools.md).
new PolicyPack("bookedbarber-compliance", {
    description:
        "BookedBarber compliance: encryption, MFA, network exposure, audit logging, resilience, GDPR residency and tagging (SOC 2, PCI DSS, GDPR, CIS; HIPAA advisory).",
    enforcementLevel: "advisory",
    policies: [...RULES],
});
