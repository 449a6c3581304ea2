/**
 * The app's container images: which apps the platform runs, where their images live, and how a
 * workload names one. Images are pinned by digest, never by tag: a tag can be re-pushed, a digest
 * cannot, so the image a rollout verified is the image every later pod pulls (spec: Security,
 * supply chain). The digests are per-stack config (`appImages`) so the deploy pipeline can roll a
 * release region by region in the same waves as the infrastructure (docs/delivery.md).
 */
import * as pulumi from "@pulumi/pulumi";

/** The apps the platform deploys: the API backend and the background-job worker. */
export const APPS = ["backend", "worker"] as const;
export type AppName = (typeof APPS)[number];

/** One release digest per app, as `sha256:<64 hex>` (what `docker buildx imagetools inspect` prints). */
export type AppImageDigests = Readonly<Record<AppName, string>>;

/** An OCI content digest with the sha256 algorithm (OCI image spec, descriptor.md: "sha256:" + 64 lowercase hex). */
export const IMAGE_DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

/** The ECR repository that holds an app's images: one namespace for the platform's apps. */
export function appRepositoryName(app: AppName): string {
    return `bookedbarber/${app}`;
}

/**
 * An ECR registry's host for an account and region (ECR docs, "Private registry concepts":
 * `aws_account_id.dkr.ecr.region.amazonaws.com`).
 */
export function ecrRegistryHost<T extends pulumi.Input<string>>(accountId: T, region: string): pulumi.Output<string> {
    return pulumi.interpolate`${accountId}.dkr.ecr.${region}.amazonaws.com`;
}

/** The digest-pinned reference a pod spec uses: `<registry>/<repository>@sha256:...`. */
export function appImageReference(accountId: pulumi.Input<string>, region: string, app: AppName, digest: string): pulumi.Output<string> {
    return pulumi.interpolate`${ecrRegistryHost(accountId, region)}/${appRepositoryName(app)}@${digest}`;
}

/** Problems with a digests value, phrased to follow "<key> = <value>: ". */
export function appImageDigestProblems(v: unknown): string[] {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return [`must be an object with keys ${APPS.join(", ")}`];
    const problems: string[] = [];
    for (const app of APPS) {
        const d = (v as Record<string, unknown>)[app];
        if (d === undefined) problems.push(`.${app} is missing; set the release digest of the ${app} image`);
        else if (typeof d !== "string" || !IMAGE_DIGEST_RE.test(d))
            problems.push(`.${app} = ${JSON.stringify(d)}: must be an image digest sha256:<64 lowercase hex>`);
    }
    for (const k of Object.keys(v)) if (!(APPS as readonly string[]).includes(k)) problems.push(`.${k} is not an app; the apps are ${APPS.join(", ")}`);
    return problems;
}
