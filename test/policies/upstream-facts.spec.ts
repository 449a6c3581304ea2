import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { SECRET_INPUTS } from "../../policies/lib/secrets";
import { EKS_SUPPORTED_VERSIONS } from "../../policies/rules/operations/eks-supported-version";
import { LAMBDA_NODEJS_SUPPORTED_RUNTIMES } from "../../policies/rules/operations/lambda-nodejs-runtime-supported";
import { APP_SECRETS_FUNCTION_RUNTIME } from "../../components/app-secrets";
import { CACHE_FAILOVER_RUNTIME } from "../../components/zone-recovery-cache";
import { projectRoot } from "../../stacks/stack-files";

/** Facts the rules rely on, checked against their sources. */
describe("policy facts against their sources", () => {
    it("eks-supported-version: the supported Kubernetes versions are the ones recorded from the EKS user guide", () => {
        const recorded = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "eks", "supported-versions.json"), "utf8"));
        expect(EKS_SUPPORTED_VERSIONS).to.deep.equal(recorded.supported);
    });

    it("lambda-nodejs-runtime-supported: the supported Node.js runtimes are the ones recorded from the Lambda developer guide, and the program's functions use them", () => {
        const recorded = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "lambda", "nodejs-runtimes.json"), "utf8"));
        expect(LAMBDA_NODEJS_SUPPORTED_RUNTIMES).to.deep.equal(Object.keys(recorded.supported));
        for (const r of Object.keys(recorded.deprecated)) expect(LAMBDA_NODEJS_SUPPORTED_RUNTIMES).to.not.include(r);
        expect(LAMBDA_NODEJS_SUPPORTED_RUNTIMES).to.include.members([APP_SECRETS_FUNCTION_RUNTIME, CACHE_FAILOVER_RUNTIME]);
    });

    it("no-literal-credentials: every top-level credential input is one @pulumi/aws itself wraps in pulumi.secret", () => {
        const awsRoot = path.dirname(require.resolve("@pulumi/aws/package.json"));
        const notSecret: string[] = [];
        for (const [type, paths] of Object.entries(SECRET_INPUTS)) {
            const [, mod, file] = /^aws:([^/]+)\/([^:]+):/.exec(type)!;
            const js = fs.readFileSync(path.join(awsRoot, mod, `${file}.js`), "utf8");
            for (const p of paths.filter((x) => !/[.[]/.test(x))) {
                if (!js.includes(`resourceInputs["${p}"] = args?.${p} ? pulumi.secret(args.${p})`)) notSecret.push(`${type} ${p}`);
            }
            // Nested paths start at an input the provider knows.
            for (const p of paths.filter((x) => /[.[]/.test(x))) {
                const top = p.split(/[.[]/)[0];
                if (!js.includes(`resourceInputs["${top}"]`)) notSecret.push(`${type} ${p} (no input ${top})`);
            }
        }
        expect(notSecret).to.deep.equal([]);
    });
});
