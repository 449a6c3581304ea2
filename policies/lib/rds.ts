/** Engines and their families, as @pulumi/aws spells `engine` on clusters and instances. */
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
export const RDS_INSTANCE = "aws:rds/instance:Instance";

export function engineOf(props: Record<string, any>): string {
    return String(props.engine ?? "").toLowerCase();
}

/** Engines with IAM database authentication (RDS for MySQL, MariaDB, PostgreSQL; Aurora MySQL and PostgreSQL). */
export function supportsIamAuth(engine: string): boolean {
    return /^(mysql|mariadb|postgres|aurora|aurora-mysql|aurora-postgresql)$/.test(engine);
}
