import { resourceRule } from "../../lib/rule";

/** Characters random.RandomPassword draws from when `special` is on and `overrideSpecial` unset. */
const DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

/**
 * Strength is judged as entropy (length x log2 of the alphabet), not by "has special characters":
 * some consumers forbid symbols (ElastiCache RBAC passwords refuse several, and clients mangle
 * them), and 64 alphanumerics (~381 bits) are far stronger than 16 characters with symbols.
 */
export function passwordBits(props: Record<string, any>): number {
    const on = (v: unknown) => v !== false && v !== "false";
    const special = typeof props.overrideSpecial === "string" ? props.overrideSpecial.length : DEFAULT_SPECIAL.length;
    const alphabet = (on(props.lower) ? 26 : 0) + (on(props.upper) ? 26 : 0) + (on(props.numeric ?? props.number) ? 10 : 0) + (on(props.special) ? special : 0);
    const length = Number(props.length);
    return alphabet > 1 && length > 0 ? length * Math.log2(alphabet) : 0;
}

export const randomPasswordStrength = resourceRule<{ minBits: number; minLength: number }>({
    name: "random-password-strength",
    description: "Generated passwords must be at least 32 characters long and carry at least 128 bits of entropy.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["secrets", "credentials"],
    resourceTypes: ["random:index/randomPassword:RandomPassword"],
    remediation:
        "raise length (64 alphanumerics is the program's convention; the consumer's maximum otherwise) and keep lower, upper and numeric on; add special characters only where the consumer accepts them.",
    config: {
        minBits: { type: "integer", default: 128, description: "Least entropy in bits: length x log2(alphabet size)." },
        minLength: {
            type: "integer",
            default: 32,
            description: "Shortest generated password accepted; machine passwords cost nothing to lengthen (PCI DSS 8.3.6 asks 12 for people).",
        },
    },
    check: ({ props, config }, report) => {
        const length = Number(props.length);
        if (!(length >= config.minLength)) report(`length is ${JSON.stringify(props.length)}, shorter than ${config.minLength}.`);
        const bits = passwordBits(props);
        if (bits < config.minBits) report(`The password carries about ${Math.floor(bits)} bits of entropy, less than ${config.minBits}.`);
    },
});
