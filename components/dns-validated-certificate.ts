import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * An ACM certificate for `names` (the first is the subject, the rest SANs), validated through DNS
 * records in a Route 53 hosted zone. Resources: `<resourceName>` (the certificate),
 * `<resourceName>-validation-<i>` (one record per name) and `<resourceName>-validation`.
 *
 * `retainRecords`: keep the validation records when this resource is deleted. ACM uses the same CNAME
 * for a name in every certificate of the account, so where several stacks' certificates share a name,
 * no one stack may delete its record (managed renewal needs it too); `allowOverwrite` lets each of them
 * write the same record.
 */
export function dnsValidatedCertificate(
    resourceName: string,
    args: { names: string[]; hostedZoneId: pulumi.Input<string>; retainRecords?: boolean },
    parent: pulumi.Resource,
): aws.acm.CertificateValidation {
    const cert = new aws.acm.Certificate(
        resourceName,
        {
            domainName: args.names[0],
            subjectAlternativeNames: args.names.slice(1),
            validationMethod: "DNS",
            keyAlgorithm: "EC_prime256v1",
            options: { certificateTransparencyLoggingPreference: "ENABLED" },
        },
        { parent },
    );
    const records = args.names.map((name, i) => {
        const option = cert.domainValidationOptions.apply((opts) => {
            const found = opts.find((o) => o.domainName === name);
            if (!found) throw new Error(`ACM returned no DNS validation record for ${name}`);
            return found;
        });
        return new aws.route53.Record(
            `${resourceName}-validation-${i}`,
            {
                zoneId: args.hostedZoneId,
                name: option.resourceRecordName,
                type: option.resourceRecordType,
                records: [option.resourceRecordValue],
                ttl: 300,
                allowOverwrite: true,
            },
            { parent: cert, ...(args.retainRecords ? { retainOnDelete: true } : {}) },
        );
    });
    return new aws.acm.CertificateValidation(
        `${resourceName}-validation`,
        {
            certificateArn: cert.arn,
            validationRecordFqdns: records.map((r) => r.fqdn),
        },
        { parent: cert },
    );
}
