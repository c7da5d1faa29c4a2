import { Duration, JsonPatch, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { GoMicroservice, GoMicroserviceProps, HealthCheck, HpaMetric, IngressPeer, IntOrPercent } from '../../src';
import { gantryError } from '../harness';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';
const orders = (props: Partial<GoMicroserviceProps>) => (chart: Construct) => new GoMicroservice(chart, 'orders', { image: IMAGE, ...props });

// Each case: what is wrong, how to build it, the exact message. `gantryError` also checks that nothing was written.
const CASES: [string, (chart: Construct) => void, string][] = [
  ['the image is latest', orders({ image: 'nginx:latest' }),
    "GoMicroservice 'test/orders': 'image' (nginx:latest) must be pinned to a tag or digest, not 'latest'; pin a version tag such as 'nginx:1.4.2', or a digest: 'nginx@sha256:<digest>'"],
  ['the image has no tag', orders({ image: 'ghcr.io/acme/orders' }),
    "GoMicroservice 'test/orders': 'image' (ghcr.io/acme/orders) must be pinned to a tag or digest; pin a version tag such as 'ghcr.io/acme/orders:1.4.2', or a digest: 'ghcr.io/acme/orders@sha256:<digest>'"],
  ['the image repository has capitals', orders({ image: 'GHCR.io/Acme/Orders:1.0' }),
    "GoMicroservice 'test/orders': 'image' (GHCR.io/Acme/Orders:1.0) has an invalid repository name (lowercase letters, digits, '.', '_', '-' and '/'); pin a version tag such as 'ghcr.io/acme/orders:1.4.2', or a digest: 'ghcr.io/acme/orders@sha256:<digest>'"],
  ['the image digest is malformed', orders({ image: 'ghcr.io/acme/orders@sha256:abc' }),
    "GoMicroservice 'test/orders': 'image' (ghcr.io/acme/orders@sha256:abc) has a malformed digest (expected sha256: and 64 lowercase hex digits); pin a version tag such as 'ghcr.io/acme/orders:1.4.2', or a digest: 'ghcr.io/acme/orders@sha256:<digest>'"],
  ['the image is empty', orders({ image: '' }),
    "GoMicroservice 'test/orders': 'image' (\"\") is not an image reference; pin a version tag such as 'ghcr.io/acme/orders:1.4.2', or a digest: 'ghcr.io/acme/orders@sha256:<digest>'"],
  ['the name is not a DNS label', (c) => new GoMicroservice(c, 'Orders_Service', { image: IMAGE }),
    "GoMicroservice 'test/Orders_Service': 'name' (Orders_Service) is not a valid Kubernetes name (lowercase letters, digits and '-', starting with a letter, at most 50 characters); use a name such as 'orders-service'"],
  ['the namespace has capitals', orders({ namespace: 'Shop' }),
    "GoMicroservice 'test/orders': 'namespace' (Shop) is not a valid namespace name (lowercase letters, digits and '-', at most 63 characters); use a name such as 'shop'"],
  ['two services share a name in a namespace', (c) => {
    new GoMicroservice(c, 'orders', { image: IMAGE });
    new GoMicroservice(c, 'orders2', { image: IMAGE, name: 'orders' });
  }, "GoMicroservice 'test/orders2': 'name' (orders) is already used by test/orders, so both would write the same objects; give one of them another 'name' or 'namespace'"],
  ['replicas is zero', orders({ replicas: 0 }),
    "GoMicroservice 'test/orders': 'replicas' (0) must be a whole number from 1 to 10000; use 2 or more so that one pod can be evicted"],
  ['replicas is set with autoscaling', orders({ replicas: 3, autoscaling: { maxReplicas: 5 } }),
    "GoMicroservice 'test/orders': 'replicas' (3) is set together with 'autoscaling', whose HPA owns the replica count; remove 'replicas' and set 'autoscaling.minReplicas' instead"],
  ['two ports share a number', orders({ metricsPort: 8080 }),
    "GoMicroservice 'test/orders': 'metricsPort' (8080) is already the http port; give each port its own number"],
  ['a port is out of range', orders({ httpPort: 70000 }),
    "GoMicroservice 'test/orders': 'httpPort' (70000) must be a whole number from 1 to 65535; use a port from 1 to 65535, such as 8080"],
  ['a non-root server would listen below 1024', orders({ httpPort: 80 }),
    "GoMicroservice 'test/orders': 'httpPort' (80) is below 1024, which a non-root process cannot listen on; listen on a port from 1024 up (the Service still exposes HTTP on 80), or set 'security.allowNetBindService'"],
  ['the user is root', orders({ security: { runAsUser: 0 } }),
    "GoMicroservice 'test/orders': 'security.runAsUser' (0) is root, which the Pod Security Standards \"restricted\" profile forbids; run as a non-root id such as 65532 (distroless nonroot)"],
  ['a secret is given as a literal env value', orders({ env: { DB_PASSWORD: 'hunter2' } }),
    "GoMicroservice 'test/orders': 'env.DB_PASSWORD' (<redacted>) looks like a secret and would be written into the manifest in clear; move it to 'secretEnv': { DB_PASSWORD: { secretName: 'orders', key: 'db_password' } }, or, if it holds no secret, list it in 'nonSecretEnv'"],
  ['an AWS secret key is given as a literal env value', orders({ env: { AWS_SECRET_ACCESS_KEY: 'x' } }),
    "GoMicroservice 'test/orders': 'env.AWS_SECRET_ACCESS_KEY' (<redacted>) looks like a secret and would be written into the manifest in clear; move it to 'secretEnv': { AWS_SECRET_ACCESS_KEY: { secretName: 'orders', key: 'aws_secret_access_key' } }, or, if it holds no secret, list it in 'nonSecretEnv'"],
  ['an access key id is given as a literal env value', orders({ env: { AWS_ACCESS_KEY_ID: 'AKIA' } }),
    "GoMicroservice 'test/orders': 'env.AWS_ACCESS_KEY_ID' (<redacted>) looks like a secret and would be written into the manifest in clear; move it to 'secretEnv': { AWS_ACCESS_KEY_ID: { secretName: 'orders', key: 'aws_access_key_id' } }, or, if it holds no secret, list it in 'nonSecretEnv'"],
  ['a DSN carries a password', orders({ env: { DATABASE_URL: 'postgres://orders:hunter2@db:5432/orders' } }),
    "GoMicroservice 'test/orders': 'env.DATABASE_URL' (<redacted>) is a URL with a password in it, which would be written into the manifest in clear; keep the URL without the password and pass the password through 'secretEnv', or the whole URL: 'secretEnv': { DATABASE_URL: { secretName: 'orders', key: 'database_url' } }"],
  ['an HPA metric target is zero', orders({ autoscaling: { maxReplicas: 5, metrics: [HpaMetric.pods({ name: 'http_requests_per_second', averageValue: '0' })] } }),
    "HpaPolicy 'test/orders/Autoscaling': 'metrics[0].averageValue' (0) must be above zero: Kubernetes refuses a zero or negative target; use a string such as '100' or '500m'"],
  ['scale-down has no policy', orders({ autoscaling: { maxReplicas: 5, scaleDown: { policies: [] } } }),
    "HpaPolicy 'test/orders/Autoscaling': 'scaleDown.policies' ([]) is empty, which Kubernetes refuses; give at least one ScalingPolicy, or set 'select' to ScalingSelect.DISABLED to stop scaling in this direction"],
  ['a peer namespace is not a namespace name', orders({ networkPolicy: { allowFrom: [IngressPeer.namespace('Ingress_NGINX')] } }),
    "GoMicroservice 'test/orders': 'networkPolicy.allowFrom[0].namespace' (Ingress_NGINX) is not a valid namespace name (lowercase letters, digits and '-', at most 63 characters); use a name such as 'ingress-nginx'"],
  ['a peer CIDR has a prefix over 32', orders({ networkPolicy: { allowFrom: [IngressPeer.ipBlock('10.0.0.0/33')] } }),
    "GoMicroservice 'test/orders': 'networkPolicy.allowFrom[0].cidr' (10.0.0.0/33) is not a CIDR block; use an address and a prefix length, such as '10.0.0.0/16' or '2001:db8::/32'"],
  ['a peer label key is invalid', orders({ networkPolicy: { allowFrom: [IngressPeer.pods({ 'app name': 'checkout' })] } }),
    "GoMicroservice 'test/orders': 'networkPolicy.allowFrom[0].labels.app name' (app name) is not a valid label key (an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.'); use a key such as 'release' or 'example.com/team'"],
  ['the replica count is NaN (plain JavaScript)', orders({ replicas: NaN }),
    "GoMicroservice 'test/orders': 'replicas' (NaN) must be a whole number from 1 to 10000; use 2 or more so that one pod can be evicted"],
  ['GOMAXPROCS is set by hand', orders({ env: { GOMAXPROCS: '4' } }),
    "GoMicroservice 'test/orders': 'env.GOMAXPROCS' (GOMAXPROCS) is set by Gantry; remove it: it follows the container limits"],
  ['an env var is defined twice', orders({ env: { DB_USER: 'x' }, secretEnv: { DB_USER: { secretName: 'db', key: 'user' } } }),
    "GoMicroservice 'test/orders': 'secretEnv.DB_USER' (DB_USER) is defined twice (in 'env' and 'secretEnv'); remove one of them"],
  ['an env var name is not an identifier', orders({ env: { 'log-level': 'info' } }),
    "GoMicroservice 'test/orders': 'env.log-level' (log-level) is not a valid environment variable name (letters, digits and '_', not starting with a digit); use a name such as 'LOG_LEVEL'"],
  ['a Secret name is invalid', orders({ secretEnv: { DB_PASS: { secretName: 'Orders DB', key: 'password' } } }),
    "GoMicroservice 'test/orders': 'secretEnv.DB_PASS.secretName' (Orders DB) is not a valid Secret name; use the name of an existing Secret, such as 'orders-db'"],
  ['the CPU request is above the limit', orders({ resources: { cpu: { request: Cpu.units(2), limit: Cpu.millis(500) } } }),
    "GoMicroservice 'test/orders': 'resources.cpu.request' (2) is above the CPU limit (500m); lower the request or raise the limit to at least 2"],
  ['the memory request is above the limit', orders({ resources: { memory: { request: Size.gibibytes(1), limit: Size.mebibytes(512) } } }),
    "GoMicroservice 'test/orders': 'resources.memory.request' (1Gi) is above its limit (512Mi); lower the request or raise the limit to at least 1Gi"],
  ['the memory limit is too small for Go', orders({ resources: { memory: { limit: Size.mebibytes(8) } } }),
    "GoMicroservice 'test/orders': 'resources.memory.limit' (8Mi) is below 16Mi, too little for a Go process; use at least Size.mebibytes(64)"],
  ['readiness checks what liveness checks', orders({ healthChecks: { readiness: HealthCheck.http('/healthz') } }),
    "GoMicroservice 'test/orders': 'healthChecks.readiness' (GET /healthz on port http) checks the same thing as the liveness probe, so a pod that cannot serve is restarted instead of taken out of the Service; check readiness on its own endpoint, such as HealthCheck.http('/readyz')"],
  ['a gRPC probe has no gRPC port', orders({ healthChecks: { readiness: HealthCheck.grpc() } }),
    "GoMicroservice 'test/orders': 'healthChecks.readiness.port' (grpc) is not a port of the container (it has http, metrics); set 'grpcPort' on the service, or use HealthCheck.http()"],
  ['a probe path is relative', orders({ healthChecks: { liveness: HealthCheck.http('healthz') } }),
    "GoMicroservice 'test/orders': 'healthChecks.liveness.path' (healthz) is not an HTTP path; use a path starting with '/', such as '/healthz'"],
  ['a probe timeout exceeds its period', orders({ healthChecks: { readiness: HealthCheck.http('/readyz', { timeout: Duration.seconds(10) }) } }),
    "GoMicroservice 'test/orders': 'healthChecks.readiness.timeout' (10s) is longer than the probe period (5s), so checks overlap; use a timeout of at most 5s"],
  ['a liveness probe needs two successes', orders({ healthChecks: { liveness: HealthCheck.http('/healthz', { successThreshold: 2 }) } }),
    "GoMicroservice 'test/orders': 'healthChecks.liveness.successThreshold' (2) must be 1 for a liveness probe (Kubernetes rejects anything else); remove it, or set it on the readiness probe"],
  ['a config file name has a slash', orders({ config: { 'conf/app.yaml': 'x' } }),
    "GoMicroservice 'test/orders': 'config.conf/app.yaml' (conf/app.yaml) is not a valid ConfigMap key (letters, digits, '-', '_' and '.'); rename it, such as 'conf-app.yaml'"],
  ['config is over the 1 MiB a ConfigMap may hold (keys and values, in bytes)', orders({ config: { 'a.json': 'x'.repeat(1024 * 1024 - 14), 'b.txt': 'éé' } }),
    "GoMicroservice 'test/orders': 'config' (1048577 bytes) is larger than the 1048576 bytes (1 MiB) Kubernetes allows in a ConfigMap (the largest file is a.json); move large files into the image, or into a volume the service downloads them to"],
  ['config is empty', orders({ config: {} }),
    "GoMicroservice 'test/orders': 'config' ({}) is empty; leave 'config' out, or give at least one file"],
  ['the config mount path is relative', orders({ configMountPath: 'etc/orders', config: { a: 'b' } }),
    "GoMicroservice 'test/orders': 'configMountPath' (etc/orders) is not a usable mount path; use an absolute path such as '/etc/orders'"],
  ['a secret file name has a slash', orders({ secretFiles: { 'db/password': { secretName: 'orders-db', key: 'password' } } }),
    "GoMicroservice 'test/orders': 'secretFiles.db/password' (db/password) is not a valid file name (letters, digits, '-', '_' and '.'); use a name such as 'db-password'"],
  ['secret files are mounted inside the config', orders({ config: { 'a.yaml': 'x' }, secretMountPath: '/etc/orders/secrets', secretFiles: { pw: { secretName: 'db', key: 'pw' } } }),
    "GoMicroservice 'test/orders': 'secretMountPath' (/etc/orders/secrets) overlaps the mount at /etc/orders; use a path outside it, such as '/var/run/secrets/orders'"],
  ['a pod label would change the selector', orders({ podLabels: { 'app.kubernetes.io/name': 'other' } }),
    "GoMicroservice 'test/orders': 'podLabels.app.kubernetes.io/name' (other) would replace a label Gantry sets and selects pods by; use another label key"],
  ['the network policy allows no one', orders({ networkPolicy: { allowFrom: [] } }),
    "GoMicroservice 'test/orders': 'networkPolicy.allowFrom' ([]) allows no one, so the service cannot be reached; list who may connect, such as [IngressPeer.namespace('ingress-nginx')], or set 'networkPolicy.enabled' to false"],
  ['the shutdown timeout is not whole seconds', orders({ shutdown: { timeout: Duration.millis(1500) } }),
    "GoMicroservice 'test/orders': 'shutdown.timeout' (1.5s) must be a whole number of seconds from 1 to 3600; use a value such as Duration.seconds(2)"],
  ['the PodDisruptionBudget keeps every pod', orders({ replicas: 3, disruptionBudget: { minAvailable: IntOrPercent.count(3) } }),
    "GoMicroservice 'test/orders': 'disruptionBudget.minAvailable' (3) keeps all 3 pods (replicas) available, so it blocks every eviction and node drain; use at most IntOrPercent.count(2)"],
  ['the PodDisruptionBudget keeps every pod the HPA guarantees', (c) => {
    const svc = new GoMicroservice(c, 'orders', { image: IMAGE, disruptionBudget: { minAvailable: IntOrPercent.percent(100) } });
    svc.addHpaPolicy({ minReplicas: 2, maxReplicas: 4 });
  }, "GoMicroservice 'test/orders': 'disruptionBudget.minAvailable' (100%) keeps all 2 pods (the HPA's minReplicas) available, so it blocks every eviction and node drain; use at most IntOrPercent.count(1)"],
];

describe('GoMicroservice', () => {
  test.each(CASES)('fails when %s', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });

  test('fails when props are missing, without a TypeError', () => {
    expect(gantryError((c) => new GoMicroservice(c, 'orders', undefined as any)).message).toBe(
      "GoMicroservice 'test/orders': 'props' (undefined) are missing; pass at least { image: 'ghcr.io/acme/orders:1.4.2' }");
  });
});

describe('GoMicroservice links', () => {
  test('fails when a JSON patch makes the Service select no pod', () => {
    expect(gantryError((c) => {
      const svc = new GoMicroservice(c, 'orders', { image: IMAGE });
      svc.service.addJsonPatch(JsonPatch.replace('/spec/selector/app.kubernetes.io~1name', 'order'));
    }).message).toBe("GoMicroservice 'test/orders': 'service.spec.selector' ({\"app.kubernetes.io/instance\":\"orders\",\"app.kubernetes.io/name\":\"order\"}) selects no pod of the Deployment (pod labels {\"app.kubernetes.io/component\":\"server\",\"app.kubernetes.io/instance\":\"orders\",\"app.kubernetes.io/managed-by\":\"cdk8s-gantry\",\"app.kubernetes.io/name\":\"orders\",\"app.kubernetes.io/version\":\"1.4.2\"}); remove the JSON patch that changed the selector or the pod labels");
  });

  test('fails when a JSON patch points the HPA elsewhere', () => {
    expect(gantryError((c) => {
      const svc = new GoMicroservice(c, 'orders', { image: IMAGE, autoscaling: { maxReplicas: 4 } });
      svc.hpa!.apiObject.addJsonPatch(JsonPatch.replace('/spec/scaleTargetRef/name', 'payments'));
    }).message).toBe("GoMicroservice 'test/orders': 'hpa.spec.scaleTargetRef' (Deployment/payments) does not target the Deployment orders; remove the JSON patch that changed the target");
  });
});
