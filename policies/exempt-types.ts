/**
 * Resource types that no rule needs to judge, each with the reason. The
 * coverage test (test/policies/coverage.spec.ts) fails when a type in any
 * stack's plan is covered by no rule and is not listed here, so a new type
 * gets a rule or a stated reason, never silence.
 */
export const EXEMPT_TYPES: Readonly<Record<string, string>> = {
    "pulumi:pulumi:Stack": "the stack itself; stack rules see every resource through it",
    "pulumi:pulumi:StackReference": "a read of another stack's outputs; creates nothing in AWS",
    "pulumi:providers:aws": "configuration, not infrastructure; its region and defaultTags are judged through the resources that use it (required-tags, data-residency)",
    "pulumi:providers:kubernetes": "configuration, not infrastructure; the objects it creates are judged by type",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "links a subnet to a route table; has no settings, tags or data a rule could judge",
    "aws:kms/alias:Alias": "a name for a key; the key itself is judged (kms-key-rotation, deletion-protection)",
};

/** Our own component types (bookedbarber:<module>:<Name>) register no cloud resource themselves. */
export const EXEMPT_PREFIXES: readonly string[] = ["bookedbarber:"];
