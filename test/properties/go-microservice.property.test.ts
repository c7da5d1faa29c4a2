import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { GantryApp, GoMicroservice, GoMicroserviceProps } from '../../src';
import { podSecurityProblems, schemaProblems, stopPodSecurityValidator } from '../support/validators';

// Property-based tests: random configurations, the way users' definitions vary, instead of the few the example tests.
// Seeded, so a failure reproduces: fast-check prints the seed and the smallest failing input.

afterAll(stopPodSecurityValidator);

const SEED = 20261123;
const PSS_RUNS = 100;
const NAME = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/).filter((n) => !n.includes('--'));
const PORT = fc.integer({ min: 1024, max: 65535 });
const ENV_NAMES = ['LOG_LEVEL', 'REGION', 'FEATURE_FLAGS', 'GOGC', 'UPSTREAM_URL', 'TIMEOUT'];

/** Valid GoMicroservice props: any mix of ports, replicas or autoscaling, env, labels, probes left to defaults. */
const validProps: fc.Arbitrary<GoMicroserviceProps> = fc.record({
  image: fc.tuple(fc.nat(20), fc.nat(99), fc.nat(99)).map(([a, b, c]) => `ghcr.io/acme/svc:${a}.${b}.${c}`),
  ports: fc.uniqueArray(PORT, { minLength: 3, maxLength: 3 }),
  grpc: fc.boolean(),
  scaling: fc.oneof(
    fc.record({ replicas: fc.integer({ min: 2, max: 50 }) }),
    fc.integer({ min: 2, max: 20 }).chain((min) => fc.record({
      autoscaling: fc.record({ minReplicas: fc.constant(min), maxReplicas: fc.integer({ min, max: 100 }) }),
    })),
  ),
  env: fc.dictionary(fc.constantFrom(...ENV_NAMES), fc.stringMatching(/^[a-zA-Z0-9.:/_-]{0,40}$/), { maxKeys: 4 }),
  partOf: fc.option(NAME, { nil: undefined }),
}).map(({ image, ports: [http, metrics, grpc], grpc: withGrpc, scaling, env, partOf }) => ({
  image, httpPort: http, metricsPort: metrics, ...(withGrpc ? { grpcPort: grpc } : {}), ...scaling, env, partOf,
}));

describe('GoMicroservice, for 1,000 random valid configurations', () => {
  test('the output passes the upstream schemas (all) and the restricted Pod Security profile (the first 100)', async () => {
    const all: any[] = [];
    let run = 0;
    fc.assert(fc.property(NAME, validProps, (name, props) => {
      // A namespace per run, so that the Pod Security run below sees each service with its own ServiceAccount.
      const chart = new Chart(Testing.app(), 'test', { namespace: `shop-${run++}` });
      new GoMicroservice(chart, name, props);
      const objects = Testing.synth(chart);
      expect(objects.flatMap((o) => schemaProblems(o))).toEqual([]);
      expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']));
      // The Deployment runs what was asked: the image, and a fixed or autoscaled replica count (never both).
      const deployment = objects.find((o) => o.kind === 'Deployment');
      expect(deployment.spec.template.spec.containers[0].image).toBe(props.image);
      expect(deployment.spec.replicas).toBe(props.autoscaling ? undefined : props.replicas);
      if (run <= PSS_RUNS) all.push(...objects);
    }), { seed: SEED, numRuns: 1000 });
    // Pod Security runs once, at the end, over the first PSS_RUNS configurations: the validator is a worker process
    // whose time grows faster than the object count (600 objects 1.4 s, 2,500 objects 14 s, all 6,000 50 s). The
    // schemas above are checked for every object of all 1,000.
    expect(run).toBe(1000);
    expect(await podSecurityProblems(all)).toEqual([]);
  }, 60_000);
});

describe('GoMicroservice, for random invalid input', () => {
  // Anything a plain-JavaScript caller could pass: every prop a random JSON value, or a near-miss of a valid one.
  const anyValue = fc.jsonValue({ maxDepth: 2 });
  const PROP_NAMES = ['image', 'httpPort', 'replicas', 'autoscaling', 'env', 'command', 'resources', 'config', 'networkPolicy', 'healthChecks', 'shutdown', 'name'];
  const badProps = fc.oneof(
    fc.dictionary(fc.constantFrom(...PROP_NAMES), anyValue),
    validProps.chain((p) => fc.record({ key: fc.constantFrom(...Object.keys(p)), value: anyValue })
      .map(({ key, value }) => ({ ...p, [key]: value }))),
  );

  test('give the library\'s error or valid output, never a crash and never a partial write', () => {
    fc.assert(fc.property(badProps, (props) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-property-'));
      try {
        const app = new GantryApp({ outdir });
        new GoMicroservice(new Chart(app, 'shop'), 'orders', props as any);
        app.synth();
        for (const file of fs.readdirSync(outdir)) expect(fs.statSync(path.join(outdir, file)).size).toBeGreaterThan(0);
      } catch (e: any) {
        if (e?.name !== 'GantryError') throw e; // a TypeError or cdk8s's own error is a defect: fast-check shrinks it
        expect(fs.readdirSync(outdir)).toEqual([]);
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    }), { seed: SEED, numRuns: 1000 });
  }, 60_000);
});
