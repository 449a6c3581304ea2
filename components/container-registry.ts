/**
 * The region's ECR repositories for the platform's apps (issue 15, runtime security): one private repository per
 * app in `APPS`, named by `appRepositoryName`, so the digest-pinned references `appImageReference` builds resolve
 * in every regional stack's own registry and a node never pulls across regions.
 *
 * What each repository enforces, and why (docs/runtime-security.md):
 * - immutable tags: a release tag cannot be re-pushed over a verified image;
 * - encryption with the region's eks CMK (the images are the cluster's workload; the key's policy lets ECR use it);
 * - a lifecycle policy that expires untagged images after a day and keeps the newest `keepReleases` images, enough
 *   to roll back through every release still referenced by the rollout history;
 * - a repository policy that denies image pulls to every principal but the cluster's node role (kubelet pulls the
 *   images; pods' Pod Identity roles never do) and AWS service-linked roles (Inspector scans, ECR replication);
 * - no force-delete: a repository with images in it cannot be deleted by `pulumi destroy`.
 *
 * Scanning: Amazon Inspector is enabled for ECR in every regional stack (components/observability/security.ts),
 * which switches the registry to enhanced scanning. Under enhanced scanning the registry-level rules decide what is
 * scanned and the repository's own `scanOnPush` is not used (ECR user guide, "Scan images for software
 * vulnerabilities"), so the registry scanning configuration here names the app repositories for continuous
 * scanning (on push and again when new CVEs are published). The repositories still set `scanOnPush`, which is
 * what basic scanning honours if enhanced scanning is ever turned off.
 *
 * Replication: ECR replication is a registry setting, one per region. The zone primary owns it and replicates the
 * app repositories to its standby region only (residency: images never leave the zone). The standby creates the
 * same repositories itself, with its own CMK and policies, so replicated images land in a repository we configured;
 * ECR would otherwise create the destination repository with AES256 and default settings. The standby therefore
 * must be deployed before the first image is pushed (docs/runtime-security.md, "Order").
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "./args";
import { AppName, APPS, appRepositoryName } from "./app-images";
import { REGIONS } from "../stacks/regions";

/** Days an untagged image (a superseded build, a dangling manifest) is kept before it expires. */
export const UNTAGGED_EXPIRY_DAYS = 1;
/**
 * Images kept per repository. Releases are digest-pinned per stack and rolled region by region; 30 covers several
 * weeks of daily releases, far more than Argo Rollouts' revision history (10 by default) that a rollback reaches.
 */
export const DEFAULT_KEEP_RELEASES = 30;
/** The ECR prefix every app repository shares: the replication and scanning filters match it. */
export const APP_REPOSITORY_PREFIX = "bookedbarber/";

/** The actions that read image content; denied to everyone but the pullers (push uses other actions). */
export const IMAGE_PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] as const;

export interface ContainerRegistryArgs {
    /** The region the registry is in. Required. */
    region: string;
    /** The account that owns the registry: the service-linked roles exempt from the pull deny are its own. Required. */
    accountId: pulumi.Input<string>;
    /** The region's CMK for the images (the eks key). Required. */
    keyArn: pulumi.Input<string>;
    /** Roles that may pull images: the cluster's node role (kubelet). At least one. */
    pullerRoleArns: pulumi.Input<string>[];
    /**
     * The zone's standby region, set in the zone primary only: the region the app repositories replicate to. It must
     * be another region of the same residency zone (the caller passes ZONE_REGIONS[zone].standby).
     */
    replicateTo?: string;
    /** Images kept per repository (newest first). Default DEFAULT_KEEP_RELEASES; 10-1000. */
    keepReleases?: number;
}

/** The lifecycle policy document: untagged images expire first, then anything beyond the newest `keep` images. */
export function lifecyclePolicy(keep: number): string {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images ${UNTAGGED_EXPIRY_DAYS} day after push`,
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: UNTAGGED_EXPIRY_DAYS },
                action: { type: "expire" },
            },
            {
                // ECR requires a tagStatus "any" rule to have the highest rulePriority value (lowest priority).
                rulePriority: 2,
                description: `Keep the newest ${keep} images for rollback`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
                action: { type: "expire" },
            },
        ],
    });
}

/** The repository policy: pulls only by the named roles and the account's AWS service-linked roles. */
export function repositoryPolicy(accountId: string, pullerRoleArns: readonly string[]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "NodesPullImages",
                Effect: "Allow",
                Principal: { AWS: [...pullerRoleArns] },
                Action: [...IMAGE_PULL_ACTIONS, "ecr:BatchCheckLayerAvailability"],
            },
            {
                // IAM allows in the account would otherwise let any role read the images; this deny narrows it.
                Sid: "NoOtherPrincipalPullsImages",
                Effect: "Deny",
                Principal: "*",
                Action: [...IMAGE_PULL_ACTIONS],
                Condition: {
                    ArnNotLike: {
                        "aws:PrincipalArn": [...pullerRoleArns, `arn:aws:iam::${accountId}:role/aws-service-role/*`],
                    },
                },
            },
        ],
    });
}

/**
 * The app repositories of one region, their registry's scanning rules and (in a zone primary) the replication to
 * the zone's standby region.
 */
export class ContainerRegistry extends pulumi.ComponentResource {
    /** Repositories by app. */
    readonly repositories: Record<AppName, aws.ecr.Repository>;
    /** Repository URLs by app (`<registry host>/bookedbarber/<app>`). */
    readonly repositoryUrls: Record<AppName, pulumi.Output<string>>;

    constructor(name: string, args: ContainerRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        const keep = args.keepReleases ?? DEFAULT_KEEP_RELEASES;
        const zone = REGIONS[args.region]?.zone;
        const replicaZone = args.replicateTo === undefined ? undefined : REGIONS[args.replicateTo]?.zone;
        new ArgsCheck("ContainerRegistry", name)
            .that(zone !== undefined, "region", args.region, `must be one of ${Object.keys(REGIONS).join(", ")}`)
            .that(args.keyArn !== undefined && args.keyArn !== "", "keyArn", args.keyArn, "must be the region's customer-managed KMS key ARN")
            .that(
                Array.isArray(args.pullerRoleArns) && args.pullerRoleArns.length > 0,
                "pullerRoleArns",
                args.pullerRoleArns,
                "must name at least one role (the cluster's node role)",
            )
            .that(
                args.replicateTo === undefined || (replicaZone !== undefined && args.replicateTo !== args.region),
                "replicateTo",
                args.replicateTo,
                "must be another region of the platform (the zone's standby)",
            )
            .that(
                args.replicateTo === undefined || zone === undefined || replicaZone === undefined || zone === replicaZone,
                "replicateTo",
                args.replicateTo,
                `is in the ${replicaZone} zone, but ${args.region}'s images must stay in the ${zone} zone (residency): replicate to ${Object.entries(REGIONS)
                    .filter(([r, i]) => i.zone === zone && r !== args.region)
                    .map(([r]) => r)
                    .join(", ")}`,
            )
            .integer("keepReleases", keep, 10, 1000)
            .done();
        super("bookedbarber:security:ContainerRegistry", name, {}, opts);

        const repositories = {} as Record<AppName, aws.ecr.Repository>;
        const repositoryUrls = {} as Record<AppName, pulumi.Output<string>>;
        const policy = pulumi.all([args.accountId, ...args.pullerRoleArns]).apply(([acct, ...roles]) => repositoryPolicy(acct, roles));
        for (const app of APPS) {
            const repo = new aws.ecr.Repository(
                `${name}-${app}`,
                {
                    name: appRepositoryName(app),
                    imageTagMutability: "IMMUTABLE",
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.keyArn }],
                    forceDelete: false,
                    tags: { app },
                },
                { parent: this },
            );
            new aws.ecr.LifecyclePolicy(`${name}-${app}-lifecycle`, { repository: repo.name, policy: lifecyclePolicy(keep) }, { parent: repo });
            new aws.ecr.RepositoryPolicy(`${name}-${app}-policy`, { repository: repo.name, policy }, { parent: repo });
            repositories[app] = repo;
            repositoryUrls[app] = repo.repositoryUrl;
        }
        const repos = Object.values(repositories);

        // Enhanced (Inspector) scanning of the app repositories, continuously: on push and on every new CVE.
        new aws.ecr.RegistryScanningConfiguration(
            `${name}-scanning`,
            {
                scanType: "ENHANCED",
                rules: [{ scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: `${APP_REPOSITORY_PREFIX}*`, filterType: "WILDCARD" }] }],
            },
            { parent: this },
        );

        if (args.replicateTo) {
            new aws.ecr.ReplicationConfiguration(
                `${name}-replication`,
                {
                    replicationConfiguration: {
                        rules: [
                            {
                                destinations: [{ region: args.replicateTo, registryId: args.accountId }],
                                repositoryFilters: [{ filter: APP_REPOSITORY_PREFIX, filterType: "PREFIX_MATCH" }],
                            },
                        ],
                    },
                },
                { parent: this, dependsOn: repos },
            );
        }

        this.repositories = repositories;
        this.repositoryUrls = repositoryUrls;
        this.registerOutputs({ repositoryUrls });
    }
}
