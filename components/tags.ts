import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "./args";

/**
 * Tags without the stack config. The stacks put the design's tag set on every
 * AWS provider's `defaultTags` (stacks/providers.ts), so a stack's components
 * need no tag argument. A program that uses the components on their own gets
 * the same set from `defaultTags()` and either puts it on its provider
 * (`taggedAwsProvider`) or hands it to a component's `tags` argument, which
 * adds it to every AWS resource the component creates (`withTags`).
 */

/** defaultTags' defaults. */
export const TAG_DEFAULTS = {
    /** The application's name. */
    app: "bookedbarber",
} as const;

/** The facts the design's tag set is made of: the keys the policy pack's required-tags rule asks of every taggable resource. */
export interface DefaultTagsArgs {
    /** Application. Default "bookedbarber". */
    app?: string;
    /** Deployment environment, e.g. "production". Required. */
    environment: string;
    /** Residency zone (us, eu, apac), or "global" for stacks outside a zone. Required. */
    zone: string;
    /** AWS region, or "global". Required. */
    region: string;
    /** Owning team. Required. */
    owner: string;
    /** Cost center for cost allocation. Required. */
    costCenter: string;
    /** Data classification, e.g. "confidential". Required. */
    dataClassification: string;
    /** Compliance scopes (pci-dss, gdpr, soc2...). Default none: the tag reads "none". */
    complianceScope?: readonly string[];
}

/** The design's tag set: every taggable AWS resource carries these keys (the policy pack's required-tags rule). */
export function defaultTags(args: DefaultTagsArgs): Record<string, string> {
    return {
        app: args.app ?? TAG_DEFAULTS.app,
        environment: args.environment,
        zone: args.zone,
        region: args.region,
        owner: args.owner,
        "cost-center": args.costCenter,
        "data-classification": args.dataClassification,
        "compliance-scope": (args.complianceScope ?? []).join("+") || "none",
    };
}

/** An AWS provider for one region that puts `tags` on every taggable resource created with it. */
export function taggedAwsProvider(
    name: string,
    args: { region: string; tags: Readonly<Record<string, string>> },
    opts?: pulumi.CustomResourceOptions,
): aws.Provider {
    return new aws.Provider(name, { region: args.region, defaultTags: { tags: { ...args.tags } } }, opts);
}

/**
 * AWS's limits on user tags (test/upstream/aws-tagging/limits.json): key and
 * value lengths, tags per resource, the characters every tagging service
 * accepts, and the reserved `aws:` prefix.
 */
export const TAG_LIMITS = {
    maxKeyLength: 128,
    maxValueLength: 256,
    maxTagsPerResource: 50,
    characters: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
    reservedPrefix: /^aws:/i,
} as const;

/** Problems of a `tags` argument, each naming the key and its value. */
export function tagProblems(check: ArgsCheck, tags: Readonly<Record<string, string>> | undefined, field = "tags"): ArgsCheck {
    if (tags === undefined) return check;
    if (typeof tags !== "object" || tags === null || Array.isArray(tags)) return check.that(false, field, tags, "must be a map of tag keys to string values");
    const entries = Object.entries(tags);
    check.that(
        entries.length <= TAG_LIMITS.maxTagsPerResource,
        field,
        `${entries.length} tags`,
        `must hold at most ${TAG_LIMITS.maxTagsPerResource} tags (AWS's limit per resource, the resource's own tags included)`,
    );
    for (const [k, v] of entries) {
        check.that(
            k.length >= 1 && k.length <= TAG_LIMITS.maxKeyLength && TAG_LIMITS.characters.test(k) && !TAG_LIMITS.reservedPrefix.test(k),
            `${field} key`,
            k,
            `must be 1 to ${TAG_LIMITS.maxKeyLength} letters, digits, spaces or + - = . _ : / @, not starting with "aws:" (reserved by AWS)`,
        );
        check.that(
            typeof v === "string" && v.length <= TAG_LIMITS.maxValueLength && TAG_LIMITS.characters.test(v) && !TAG_LIMITS.reservedPrefix.test(v),
            `${field}.${k}`,
            v,
            `must be a string of at most ${TAG_LIMITS.maxValueLength} letters, digits, spaces or + - = . _ : / @, not starting with "aws:" (reserved by AWS)`,
        );
    }
    return check;
}

/**
 * Whether a resource takes `tags` as an input: the generated AWS and EKS SDK
 * classes list every input and output in their props, so a type that takes
 * tags has the key (even when unset); Kubernetes objects and our own
 * components have no such key and are left alone.
 */
function takesTags(type: string, props: pulumi.Inputs): boolean {
    return /^(aws|eks):/.test(type) && !NON_MAP_TAGS.includes(type) && Object.prototype.hasOwnProperty.call(props, "tags");
}

/**
 * AWS types whose `tags` input is not a key-value map (a list of ASG tag blocks, a DevOps Guru
 * app-boundary filter): merging a map into them would break them, so they are left alone.
 * test/components/tags.spec.ts derives this list from the @pulumi/aws typings.
 */
export const NON_MAP_TAGS: readonly string[] = ["aws:autoscaling/group:Group", "aws:devopsguru/resourceCollection:ResourceCollection"];

/**
 * A transformation that adds `tags` under the own tags of every AWS resource
 * it reaches (a resource's own keys win: its Name, log-class and the like).
 */
export function tagTransformation(tags: Readonly<Record<string, string>>): pulumi.ResourceTransformation {
    return ({ type, props, opts }) => {
        if (!takesTags(type, props)) return undefined;
        const own = props.tags as pulumi.Input<Record<string, pulumi.Input<string>>> | undefined;
        const merged =
            own === undefined || own === null
                ? { ...tags }
                : pulumi.Output.isInstance(own) || own instanceof Promise
                  ? pulumi.output(own).apply((o) => ({ ...tags, ...(o ?? {}) }))
                  : { ...tags, ...own };
        return { props: { ...props, tags: merged }, opts };
    };
}

/**
 * A component's resource options with its `tags` argument applied to every
 * resource under it. Checks the tags first (ArgsError naming the key), so a
 * component calls it in its `super()` call, after its own checks and before
 * anything is registered. Without tags the options are returned unchanged.
 */
export function withTags(
    component: string,
    name: string,
    tags: Readonly<Record<string, string>> | undefined,
    opts?: pulumi.ComponentResourceOptions,
): pulumi.ComponentResourceOptions | undefined {
    tagProblems(new ArgsCheck(component, name), tags).done();
    if (tags === undefined || Object.keys(tags).length === 0) return opts;
    return { ...opts, transformations: [...(opts?.transformations ?? []), tagTransformation(tags)] };
}
