import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey } from "../../lib/props";

export const codebuildEncryptedWithCmk = resourceRule({
    name: "codebuild-encrypted-with-cmk",
    description: "CodeBuild projects (the deploy runner) must encrypt their artifacts and caches with a customer-managed KMS key and run unprivileged.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["encryption-at-rest", "kms", "ci"],
    resourceTypes: ["aws:codebuild/project:Project"],
    remediation:
        "set encryptionKey to a customer-managed key's ARN (DeployRunner creates alias/bookedbarber/deploy-runner) and environment.privilegedMode to false.",
    check: ({ props }, report) => {
        if (!isCustomerManagedKey(props.encryptionKey)) report("The project has no customer-managed encryptionKey (it would use aws/s3).");
        // Privileged mode runs a Docker daemon as root in the build container: a job could escape into the host.
        if (props.environment?.privilegedMode === true) report("environment.privilegedMode is true.");
    },
});
