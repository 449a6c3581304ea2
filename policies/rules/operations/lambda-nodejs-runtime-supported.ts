import { resourceRule } from "../../lib/rule";
import { isUnknown } from "../../lib/props";

/**
 * Node.js runtimes AWS Lambda supports (not deprecated), as listed in
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html (retrieved 2026-11-29, kept with its
 * source and deprecation dates in test/upstream/lambda/nodejs-runtimes.json, which a test compares).
 * A deprecated runtime gets no security patches and, later, blocks function updates.
 */
export const LAMBDA_NODEJS_SUPPORTED_RUNTIMES = ["nodejs22.x", "nodejs24.x"];

export const lambdaNodejsRuntimeSupported = resourceRule({
    name: "lambda-nodejs-runtime-supported",
    description: "Node.js Lambda functions must use a runtime AWS Lambda still supports (not deprecated).",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss"],
    topics: ["serverless", "change-management"],
    resourceTypes: ["aws:lambda/function:Function"],
    peers: { checkov: ["CKV_AWS_363"] },
    config: {
        runtimes: {
            type: "array",
            items: { type: "string" },
            default: LAMBDA_NODEJS_SUPPORTED_RUNTIMES,
            description: "Node.js runtime identifiers Lambda supports.",
        },
    },
    remediation: `set runtime to one of ${LAMBDA_NODEJS_SUPPORTED_RUNTIMES.join(", ")}.`,
    check: ({ props, config }, report) => {
        const runtime = props.runtime;
        // Container-image functions have no runtime; other languages are not judged by this rule.
        if (typeof runtime !== "string" || isUnknown(runtime) || !runtime.startsWith("nodejs")) return;
        if (!config.runtimes.includes(runtime)) report(`runtime ${runtime} is not a Node.js runtime Lambda supports (${config.runtimes.join(", ")}).`);
    },
});
