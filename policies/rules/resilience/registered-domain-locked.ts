import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const registeredDomainLocked = resourceRule({
    name: "registered-domain-locked",
    description:
        "A domain registration the program manages must renew automatically and be locked against transfer: losing the domain takes every name, certificate and failover record with it.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2"],
    topics: ["dns", "availability"],
    resourceTypes: ["aws:route53domains/registeredDomain:RegisteredDomain"],
    remediation: "set autoRenew: true and transferLock: true on the RegisteredDomain.",
    check: ({ props }, report) => {
        if (!isTrue(props.autoRenew)) report("autoRenew is not true: the registration can lapse.");
        if (!isTrue(props.transferLock)) report("transferLock is not true: the domain can be transferred away.");
    },
});
