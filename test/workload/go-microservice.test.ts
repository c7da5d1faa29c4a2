import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  GoMicroservice, GoMicroserviceProps, HealthCheck, HpaMetric, IngressPeer, IntOrPercent, RecommendedLabels,
} from '../../src';
import { container, newChart, only, synth, SynthOptions } from '../harness';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';

function render(props: Partial<GoMicroserviceProps> = {}, namespace?: string, options?: SynthOptions): { objects: any[]; svc: GoMicroservice } {
  const { chart } = newChart({ namespace });
  const svc = new GoMicroservice(chart, 'orders', { image: IMAGE, ...props });
  return { objects: synth(chart, options), svc };
}

/** A Secret that exists in the cluster; Gantry only references it. */
const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name } });

describe('GoMicroservice', () => {
  test('defaults: secure, available, Go-aware', () => {
    const { objects } = render();
    expect(objects).toMatchSnapshot();

    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']);
    for (const o of objects) {
      expect(o.metadata.name).toBe('orders');
      expect(o.metadata.labels).toEqual({
        'app.kubernetes.io/name': 'orders',
        'app.kubernetes.io/instance': 'orders',
        'app.kubernetes.io/version': '1.4.2',
        'app.kubernetes.io/component': 'server',
        'app.kubernetes.io/managed-by': 'cdk8s-gantry',
      });
    }

    const deployment = only(objects, 'Deployment');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' });
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    expect(deployment.spec.revisionHistoryLimit).toBe(5);
    expect(deployment.spec.progressDeadlineSeconds).toBeGreaterThan(deployment.spec.minReadySeconds);

    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe('orders');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(only(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(pod.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);

    const c = container(objects);
    expect(c.image).toBe(IMAGE);
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
    expect(c.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '256Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '1', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(c.env.slice(0, 2)).toEqual([
      { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { containerName: 'orders', resource: 'limits.cpu', divisor: '1' } } },
      { name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { containerName: 'orders', resource: 'limits.memory', divisor: '1' } } },
    ]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http', scheme: 'HTTP' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http', scheme: 'HTTP' });
    expect(c.startupProbe.httpGet.path).toBe('/healthz');
    expect(c.livenessProbe).not.toEqual(c.readinessProbe);
    expect(c.startupProbe.failureThreshold * c.startupProbe.periodSeconds).toBe(60);

    const service = only(objects, 'Service');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([['http', 80, 'http'], ['metrics', 9090, 'metrics']]);
    // Every Service targetPort is a named container port.
    for (const p of service.spec.ports) expect(c.ports.map((cp: any) => cp.name)).toContain(p.targetPort);

    const pdb = only(objects, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: deployment.spec.selector.matchLabels },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });

    const netpol = only(objects, 'NetworkPolicy');
    expect(netpol.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(netpol.spec.policyTypes).toEqual(['Ingress']);
    expect(netpol.spec.ingress).toEqual([
      { from: [{ podSelector: {} }], ports: [{ port: 'http', protocol: 'TCP' }] },
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ port: 'metrics', protocol: 'TCP' }],
      },
    ]);
  });

  test('config goes into a mounted ConfigMap, and a change of config rolls the pods', () => {
    const { objects } = render({ config: { 'config.yaml': 'level: info\n' } });
    const { objects: changed } = render({ config: { 'config.yaml': 'level: debug\n' } });
    expect(objects).toMatchSnapshot();

    const cm = only(objects, 'ConfigMap');
    expect(cm.metadata.name).toBe('orders-config');
    expect(cm.data).toEqual({ 'config.yaml': 'level: info\n' });
    const pod = only(objects, 'Deployment').spec.template;
    expect(pod.spec.volumes).toContainEqual({ name: 'config', configMap: { name: 'orders-config' } });
    expect(container(objects).volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/orders', readOnly: true });

    const checksum = pod.metadata.annotations['checksum/config'];
    expect(checksum).toMatch(/^[a-f0-9]{64}$/);
    expect(only(changed, 'Deployment').spec.template.metadata.annotations['checksum/config']).not.toBe(checksum);
  });

  test('config of exactly 1 MiB (keys and values, in bytes) is still accepted', () => {
    const { objects } = render({ config: { 'a.json': 'x'.repeat(1024 * 1024 - 15), 'b.txt': 'éé' } });
    const cm = only(objects, 'ConfigMap');
    const bytes = Object.entries(cm.data as Record<string, string>).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    expect(bytes).toBe(1024 * 1024);
  });

  test('environment: literals as given, secrets only by reference', () => {
    const { objects } = render({
      env: { LOG_LEVEL: 'debug', FEATURE_X: 'on' },
      secretEnv: { DATABASE_PASSWORD: { secretName: 'orders-db', key: 'password' } },
    }, undefined, { external: [secret('orders-db')], accept: ['KBP112'] /* secrets in env: what secretEnv is for */ });
    const env = container(objects).env;
    expect(env).toContainEqual({ name: 'LOG_LEVEL', value: 'debug' });
    expect(env).toContainEqual({ name: 'FEATURE_X', value: 'on' });
    expect(env).toContainEqual({ name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } } });
    const names = env.map((e: any) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('environment: names that only look like secrets pass when declared, files and paths of secrets pass as they are', () => {
    const { objects } = render({
      env: { CACHE_KEY: 'orders-v2', DB_PASSWORD_FILE: '/var/run/secrets/orders/db-password', DATABASE_URL: 'postgres://orders@db:5432/orders' },
      nonSecretEnv: ['CACHE_KEY'],
    });
    expect(container(objects).env).toEqual(expect.arrayContaining([
      { name: 'CACHE_KEY', value: 'orders-v2' },
      { name: 'DB_PASSWORD_FILE', value: '/var/run/secrets/orders/db-password' },
      { name: 'DATABASE_URL', value: 'postgres://orders@db:5432/orders' },
    ]));
  });

  test('secret files: a read-only projected volume, one source per Secret', () => {
    const { objects } = render({
      secretFiles: {
        'db-password': { secretName: 'orders-db', key: 'password' },
        'db-user': { secretName: 'orders-db', key: 'username' },
        'stripe-key': { secretName: 'stripe', key: 'api-key', optional: true },
      },
    }, undefined, { external: [secret('orders-db'), secret('stripe')] });
    const pod = only(objects, 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({
      name: 'secrets',
      projected: {
        defaultMode: 0o440,
        sources: [
          { secret: { name: 'orders-db', items: [{ key: 'password', path: 'db-password' }, { key: 'username', path: 'db-user' }] } },
          { secret: { name: 'stripe', items: [{ key: 'api-key', path: 'stripe-key' }], optional: true } },
        ],
      },
    });
    expect(container(objects).volumeMounts).toContainEqual({ name: 'secrets', mountPath: '/var/run/secrets/orders', readOnly: true });
    expect(container(objects).env.map((e: any) => e.name)).toEqual(['GOMAXPROCS', 'GOMEMLIMIT', 'SHUTDOWN_DRAIN_DELAY', 'SHUTDOWN_TIMEOUT']);
  });

  test('gRPC: a named port on the container and the Service, checked with the gRPC health protocol', () => {
    const { objects } = render({
      grpcPort: 9000,
      healthChecks: {
        startup: HealthCheck.grpc(),
        liveness: HealthCheck.grpc({ service: 'liveness' }),
        readiness: HealthCheck.grpc({ service: 'readiness', period: Duration.seconds(3) }),
      },
    });
    expect(objects).toMatchSnapshot();
    const c = container(objects);
    expect(c.ports).toContainEqual({ name: 'grpc', containerPort: 9000, protocol: 'TCP' });
    expect(c.livenessProbe.grpc).toEqual({ port: 9000, service: 'liveness' });
    expect(c.readinessProbe).toMatchObject({ grpc: { port: 9000, service: 'readiness' }, periodSeconds: 3 });
    expect(c.startupProbe.grpc).toEqual({ port: 9000 });
    expect(only(objects, 'Service').spec.ports).toContainEqual({ name: 'grpc', port: 9000, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'grpc' });
    expect(only(objects, 'NetworkPolicy').spec.ingress[0].ports).toEqual([{ port: 'http', protocol: 'TCP' }, { port: 'grpc', protocol: 'TCP' }]);
  });

  test('autoscaling: the HPA owns the replica count and sizes the PodDisruptionBudget', () => {
    const { objects, svc } = render({
      autoscaling: { minReplicas: 4, maxReplicas: 12, metrics: [HpaMetric.pods({ name: 'http_requests_per_second', averageValue: '50' })] },
    });
    expect(objects).toMatchSnapshot();
    expect(objects.map((o) => o.kind)).toContain('HorizontalPodAutoscaler');
    expect(only(objects, 'Deployment').spec).not.toHaveProperty('replicas');
    expect(only(objects, 'PodDisruptionBudget').spec.minAvailable).toBe(2);
    expect(only(objects, 'PodDisruptionBudget').spec.minAvailable).toBeLessThan(svc.hpa!.minReplicas);
    const hpa = only(objects, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' });
    expect(svc.hpa!.node.path).toBe('test/orders/Autoscaling');
  });

  test('an HPA added after construction still takes replicas off the Deployment', () => {
    const { chart } = newChart();
    const svc = new GoMicroservice(chart, 'orders', { image: IMAGE });
    svc.addHpaPolicy({ minReplicas: 3, maxReplicas: 6 });
    const objects = synth(chart);
    expect(only(objects, 'Deployment').spec).not.toHaveProperty('replicas');
    expect(only(objects, 'PodDisruptionBudget').spec.minAvailable).toBe(2);
    expect(only(objects, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 3, maxReplicas: 6 });
  });

  test('PodDisruptionBudget always allows an eviction, whatever the replica count', () => {
    const minAvailable = (replicas: number) => only(render({ replicas }).objects, 'PodDisruptionBudget').spec;
    expect(minAvailable(1)).toMatchObject({ maxUnavailable: 1 });
    expect(minAvailable(1)).not.toHaveProperty('minAvailable');
    for (const replicas of [2, 3, 4, 5, 10, 50]) {
      const spec = minAvailable(replicas);
      expect(spec.minAvailable).toBeLessThan(replicas);
      expect(spec.minAvailable).toBeGreaterThanOrEqual(replicas / 2);
    }
  });

  test('opt-outs are explicit and do what they say', () => {
    const { objects } = render({
      security: { readOnlyRootFilesystem: false, allowNetBindService: true, runAsUser: 10001, runAsGroup: 10001, tmpSize: Size.mebibytes(512) },
      networkPolicy: { enabled: false },
      disruptionBudget: { enabled: false },
      topologySpread: { acrossNodes: false, strict: true },
      automountServiceAccountToken: true,
      httpPort: 80,
      httpServicePort: 8080,
    }, undefined, { accept: ['KBP102', 'KBP106', 'KBP113'] /* exactly the three opt-outs above */ });
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'Service']);
    const pod = only(objects, 'Deployment').spec.template.spec;
    const c = pod.containers[0];
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: false, runAsUser: 10001, runAsGroup: 10001, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    });
    expect(pod.securityContext.fsGroup).toBe(10001);
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.volumes[0].emptyDir.sizeLimit).toBe('512Mi');
    expect(pod.topologySpreadConstraints).toEqual([expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' })]);
    expect(only(objects, 'Service').spec.ports[0]).toMatchObject({ port: 8080, targetPort: 'http' });
  });

  test('graceful shutdown: grace period covers drain and shutdown, values reach the server', () => {
    const { objects } = render({ shutdown: { drainDelay: Duration.seconds(10), timeout: Duration.seconds(45) } });
    const pod = only(objects, 'Deployment').spec.template.spec;
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    expect(pod.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'SHUTDOWN_DRAIN_DELAY', value: '10s' },
      { name: 'SHUTDOWN_TIMEOUT', value: '45s' },
    ]));
    // No shell in distroless images: no exec hooks.
    expect(pod.containers[0]).not.toHaveProperty('lifecycle');
    const noEnv = container(render({ shutdown: { env: false } }).objects).env.map((e: any) => e.name);
    expect(noEnv).toEqual(['GOMAXPROCS', 'GOMEMLIMIT']);
  });

  test('resources: each value left out takes its default', () => {
    const c = container(render({ resources: { cpu: { limit: Cpu.millis(1500) }, memory: { limit: Size.gibibytes(1) } } }).objects);
    expect(c.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '1Gi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '1500m', 'memory': '1Gi', 'ephemeral-storage': '256Mi' },
    });
  });

  test('names and labels: digest images, explicit version, part-of, namespaces', () => {
    const digest = 'ghcr.io/acme/orders@sha256:' + 'a'.repeat(64);
    const { objects, svc } = render({ image: digest, partOf: 'shop' }, 'shop');
    expect(svc.namespace).toBe('shop');
    for (const o of objects) {
      expect(o.metadata.namespace).toBe('shop');
      expect(o.metadata.labels).not.toHaveProperty(RecommendedLabels.VERSION);
      expect(o.metadata.labels[RecommendedLabels.PART_OF]).toBe('shop');
    }
    expect(container(objects).image).toBe(digest);
    const versioned = render({ image: digest, version: '2.0.0', name: 'checkout', namespace: 'payments' }).objects;
    expect(only(versioned, 'Deployment').metadata).toMatchObject({
      name: 'checkout', namespace: 'payments', labels: { [RecommendedLabels.VERSION]: '2.0.0', [RecommendedLabels.NAME]: 'checkout' },
    });
  });

  test('network policy peers', () => {
    const { objects } = render({
      networkPolicy: {
        allowFrom: [
          IngressPeer.namespace('ingress-nginx'),
          IngressPeer.pods({ 'app.kubernetes.io/name': 'checkout' }),
          IngressPeer.podsInNamespace('edge', { role: 'gateway' }),
          IngressPeer.ipBlock('10.0.0.0/8'),
        ],
        monitoringNamespace: 'observability',
      },
    }, undefined, { accept: ['LNK001'] /* the peers are other apps' pods */ });
    const ingress = only(objects, 'NetworkPolicy').spec.ingress;
    expect(ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } }, podSelector: { matchLabels: { role: 'gateway' } } },
      { ipBlock: { cidr: '10.0.0.0/8' } },
    ]);
    expect(ingress[1].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }]);
  });

  test('a fixed minAvailable is kept when it allows an eviction', () => {
    const pdb = only(render({ replicas: 4, disruptionBudget: { minAvailable: IntOrPercent.percent(50) } }).objects, 'PodDisruptionBudget');
    expect(pdb.spec.minAvailable).toBe('50%');
  });
});
