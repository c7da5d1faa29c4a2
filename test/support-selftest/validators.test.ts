/**
 * Proves that the validators in test/support/validators.ts can fail: a clean
 * baseline passes with zero problems, and each single, deliberate defect is
 * reported with specific content.
 */
import {
  podSecurityFindings,
  podSecurityProblems,
  podSecurityRules,
  registerModel,
  schemaProblems,
  stopPodSecurityValidator,
} from '../support/validators';

const labels = { 'app.kubernetes.io/name': 'web' };

/** A fully hardened Deployment: the baseline every variant below breaks in exactly one way. */
function hardenedDeployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'web',
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            fsGroup: 65532,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
            { name: 'config', configMap: { name: 'web-config' } },
          ],
          containers: [{
            name: 'app',
            image: 'ghcr.io/gantry-dev/web:1.2.3',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            env: [{ name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }],
            volumeMounts: [
              { name: 'tmp', mountPath: '/tmp' },
              { name: 'config', mountPath: '/etc/web', readOnly: true },
            ],
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65532,
              runAsGroup: 65532,
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              privileged: false,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
            resources: {
              requests: { cpu: '100m', memory: '128Mi' },
              limits: { cpu: '500m', memory: '256Mi' },
            },
            startupProbe: { httpGet: { path: '/healthz', port: 'http' }, failureThreshold: 30, periodSeconds: 2 },
            livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
            readinessProbe: { httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 5 },
          }],
        },
      },
    },
  };
}

/** Everything the hardened Deployment references, so resource-links finds no dangling link. */
function companions(): any[] {
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' }, automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'shop' }, data: { 'config.yaml': 'level: info\n' } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', labels },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
  ];
}

const container = (d: any) => d.spec.template.spec.containers[0];

describe('schemaProblems', () => {
  test('the hardened Deployment and its companions are valid', () => {
    expect(schemaProblems(hardenedDeployment())).toEqual([]);
    for (const m of companions()) expect(schemaProblems(m)).toEqual([]);
  });

  test('misspelled fields are reported as unknown, with their JSON path', () => {
    const d = hardenedDeployment();
    d.spec.replicass = 3;
    container(d).imagePullPolizy = 'Always';
    container(d).ports[0].containerPortt = 9090;
    expect(schemaProblems(d)).toEqual([
      'Deployment/web: spec.replicass: unknown field',
      'Deployment/web: spec.template.spec.containers[0].imagePullPolizy: unknown field',
      'Deployment/web: spec.template.spec.containers[0].ports[0].containerPortt: unknown field',
    ]);
  });

  test('unknown fields are found at the top level and below the pod template', () => {
    const d = hardenedDeployment();
    d.specs = {};
    d.spec.template.spec.securityContext.runAsNonroot = true;
    d.spec.template.spec.volumes[0].emptyDir.medium_ = 'Memory';
    expect(schemaProblems(d)).toEqual([
      'Deployment/web: specs: unknown field',
      'Deployment/web: spec.template.spec.securityContext.runAsNonroot: unknown field',
      'Deployment/web: spec.template.spec.volumes[0].emptyDir.medium_: unknown field',
    ]);
  });

  test('a wrong type is reported', () => {
    const d = hardenedDeployment();
    d.spec.replicas = '3';
    expect(schemaProblems(d)).toEqual(['Deployment/web: spec.replicas: must be integer']);
  });

  test('enum violations and missing required fields are reported', () => {
    const d = hardenedDeployment();
    container(d).imagePullPolicy = 'Sometimes';
    delete container(d).name;
    expect(schemaProblems(d)).toEqual([
      'Deployment/web: spec.template.spec.containers[0]: must have required property name',
      'Deployment/web: spec.template.spec.containers[0].imagePullPolicy: must be equal to one of the allowed values ' +
        '{"allowedValues":["Always","IfNotPresent","Never"]}',
    ]);
  });

  test('free-form maps with arbitrary keys are NOT reported', () => {
    const odd = { 'example.com/any-key': 'v', 'weird key with spaces': 'v', 'x_y.z': '' };
    const d = hardenedDeployment();
    d.metadata.labels = { ...odd, ...labels };
    d.metadata.annotations = { ...odd, 'checksum/config': 'abc' };
    d.spec.template.metadata.annotations = odd;
    d.spec.template.spec.nodeSelector = { 'kubernetes.io/arch': 'arm64', ...odd };
    container(d).resources.limits['nvidia.com/gpu'] = 1;
    container(d).resources.requests['ephemeral-storage'] = '1Gi';
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', annotations: odd }, data: odd, binaryData: { 'a.bin': 'AAAA' } };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', stringData: odd };
    expect(schemaProblems(d)).toEqual([]);
    expect(schemaProblems(cm)).toEqual([]);
    expect(schemaProblems(secret)).toEqual([]);
  });

  test('free-form map values are still type-checked, with quoted keys in the path', () => {
    const d = hardenedDeployment();
    d.metadata.labels = { 'app.kubernetes.io/version': 3 };
    expect(schemaProblems(d)).toEqual(['Deployment/web: metadata.labels["app.kubernetes.io/version"]: must be string']);
  });

  test('every kind in the default registry validates, and an unknown field is caught in each', () => {
    const sel = { matchLabels: labels };
    const objects: any[] = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: {
          serviceName: 'db',
          selector: sel,
          template: { metadata: { labels }, spec: { containers: [{ name: 'db', image: 'db:1' }] } },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        },
      },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { maxUnavailable: '25%', selector: sel } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web' },
        spec: {
          podSelector: sel,
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }], ports: [{ port: 8080 }] }],
        },
      },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          minReplicas: 2,
          maxReplicas: 6,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
        },
      },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'web' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'web' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'web' },
        subjects: [{ kind: 'ServiceAccount', name: 'web' }],
      },
      ...companions(),
    ];
    for (const o of objects) {
      expect(schemaProblems(o)).toEqual([]);
      expect(schemaProblems({ ...o, metadata: { ...o.metadata, nmae: 'x' } }))
        .toEqual([`${o.kind}/${o.metadata.name}: metadata.nmae: unknown field`]);
    }
  });

  test('an unregistered apiVersion/kind is a problem, not a pass', () => {
    expect(schemaProblems({ apiVersion: 'widgets.example.com/v1', kind: 'Widget', metadata: { name: 'web' } })).toEqual([
      'Widget/web: (root): no schema registered for apiVersion "widgets.example.com/v1" kind "Widget" ' +
        '(add it with registerModel() in test/support/validators.ts)',
    ]);
    // apiVersion is part of the key: the old apps/v1beta1 Deployment is not silently validated as apps/v1.
    expect(schemaProblems({ ...hardenedDeployment(), apiVersion: 'apps/v1beta1' })[0])
      .toMatch(/^Deployment\/web: \(root\): no schema registered for apiVersion "apps\/v1beta1"/);
    expect(schemaProblems('kind: Deployment')).toEqual(['<no kind>/<no name>: (root): not a Kubernetes object: "kind: Deployment"']);
  });

  test('registerModel extends the registry and refuses a model whose reads cannot be observed', () => {
    class Opaque { validate(): void { /* never reads `this` */ } }
    registerModel('example.com/v1', 'Opaque', Opaque);
    expect(schemaProblems({ apiVersion: 'example.com/v1', kind: 'Opaque', metadata: { name: 'o' } })).toEqual([
      'Opaque/o: (root): the validator did not read the object through the proxy; unknown-field detection is not possible for this model',
    ]);
    expect(() => registerModel('example.com/v1', 'Broken', {} as any)).toThrow(/not a kubernetes-models class/);
  });
});

describe('podSecurityProblems', () => {
  test('the hardened Deployment with its companions has zero findings (nothing ignored)', async () => {
    expect(await podSecurityProblems([hardenedDeployment(), ...companions()])).toEqual([]);
  });

  test('every rule of the four offline plugins is enabled; PSS rules as errors', async () => {
    const rules = await podSecurityRules();
    const byPlugin = (p: string) => rules.filter(r => r.plugin === p);
    expect(byPlugin('pod-security-standards')).toHaveLength(17);
    expect(byPlugin('pod-security-standards').every(r => r.level === 'error')).toBe(true);
    expect(byPlugin('practices').map(r => r.id)).toEqual(expect.arrayContaining(['KBP102', 'KBP106', 'KBP116']));
    expect(byPlugin('resource-links').map(r => r.id).sort()).toEqual(['LNK001', 'LNK002', 'LNK003']);
    expect(byPlugin('yaml-syntax').length).toBeGreaterThan(0);
    expect(new Set(rules.map(r => r.plugin))).toEqual(new Set(['pod-security-standards', 'practices', 'resource-links', 'yaml-syntax']));
  });

  test('a privileged container is reported', async () => {
    const d = hardenedDeployment();
    container(d).securityContext.privileged = true;
    expect(await podSecurityProblems([d, ...companions()])).toEqual([
      'PSS103 Deployment/web: Restrict usage of privileged pods. [error] at spec.template.spec.containers.0.securityContext.privileged',
    ]);
  });

  test('a container without runAsNonRoot is reported (even with runAsNonRoot on the pod)', async () => {
    const d = hardenedDeployment();
    delete container(d).securityContext.runAsNonRoot;
    expect(await podSecurityProblems([d, ...companions()])).toEqual([
      'PSS203 Deployment/web: Requires the container to runs as non root user. [error] at spec.template.spec.containers.0.securityContext.runAsNonRoot',
    ]);
  });

  test('running as root (uid 0) is reported', async () => {
    const d = hardenedDeployment();
    container(d).securityContext.runAsUser = 0;
    // Only PSS204: monokle's KBP104 (low uid) treats 0 as "unset" and falls back
    // to the pod-level 65532, so it misses this case.
    expect(await podSecurityProblems([d, ...companions()])).toEqual([
      'PSS204 Deployment/web: Restrict running with a root user ID. [error] at spec.template.spec.containers.0.securityContext.runAsUser',
    ]);
  });

  test('a hostPath volume is reported', async () => {
    const d = hardenedDeployment();
    d.spec.template.spec.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
    const problems = await podSecurityProblems([d, ...companions()]);
    expect(problems).toEqual([
      'KBP101 Deployment/web: Disallow mounting the Docker socket using hostPath volumes [warning] at spec.template.spec.volumes.2.hostPath.path',
      'PSS105 Deployment/web: Restrict host path volumes. [error] at spec.template.spec.volumes.2.hostPath',
      'PSS201 Deployment/web: Restrict use of volume types. [error] at spec.template.spec.volumes.2.hostPath',
    ]);
  });

  test('a missing readOnlyRootFilesystem is reported (practices warning: PSS has no such rule)', async () => {
    const d = hardenedDeployment();
    delete container(d).securityContext.readOnlyRootFilesystem;
    expect(await podSecurityFindings([d, ...companions()])).toEqual([{
      ruleId: 'KBP102',
      level: 'warning',
      kind: 'Deployment',
      name: 'web',
      namespace: 'shop',
      path: 'spec.template.spec.containers.0.securityContext.readOnlyRootFilesystem',
      message: 'Require a read-only root file system',
    }]);
  });

  test('a Service whose selector matches no pod in the set is reported by resource-links', async () => {
    const [sa, cm, svc] = companions();
    svc.spec.selector = { 'app.kubernetes.io/name': 'webb' };
    expect(await podSecurityProblems([hardenedDeployment(), sa, cm, svc])).toEqual([
      'LNK001 Service/web: Unsatisfied resource link. (app.kubernetes.io/name: webb) [warning]',
    ]);
  });

  test('references to objects missing from the set are reported by resource-links', async () => {
    const [, , svc] = companions(); // no ServiceAccount, no ConfigMap
    expect(await podSecurityProblems([hardenedDeployment(), svc])).toEqual([
      'LNK001 Deployment/web: Unsatisfied resource link. (name: web-config) [warning]',
      'LNK001 Deployment/web: Unsatisfied resource link. (serviceAccountName: web) [warning]',
    ]);
  });

  test('ignore drops exactly the listed rule ids and rejects unknown ids', async () => {
    const d = hardenedDeployment();
    d.spec.template.spec.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
    expect(await podSecurityProblems([d, ...companions()], { ignore: ['KBP101', 'PSS201'] })).toEqual([
      'PSS105 Deployment/web: Restrict host path volumes. [error] at spec.template.spec.volumes.2.hostPath',
    ]);
    await expect(podSecurityProblems([d], { ignore: ['KSV001'] })).rejects.toThrow(/unknown rule id\(s\) in ignore: KSV001/);
  });

  test('concurrent calls get their own results, and a stopped validator restarts on demand', async () => {
    const privileged = hardenedDeployment();
    container(privileged).securityContext.privileged = true;
    const writable = hardenedDeployment();
    container(writable).securityContext.readOnlyRootFilesystem = false;
    const run = () => Promise.all([
      podSecurityProblems([privileged, ...companions()]),
      podSecurityProblems([hardenedDeployment(), ...companions()]),
      podSecurityProblems([writable, ...companions()]),
    ]);
    const expected = [
      ['PSS103 Deployment/web: Restrict usage of privileged pods. [error] at spec.template.spec.containers.0.securityContext.privileged'],
      [],
      ['KBP102 Deployment/web: Require a read-only root file system [warning] at spec.template.spec.containers.0.securityContext.readOnlyRootFilesystem'],
    ];
    expect(await run()).toEqual(expected);
    await stopPodSecurityValidator();
    expect(await run()).toEqual(expected);
  });

  test('raw YAML text is accepted and checked by yaml-syntax', async () => {
    const yaml = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: escaped',
      'data:',
      '  key: "bad \\q escape"',
      '',
    ].join('\n');
    expect(await podSecurityProblems(yaml)).toEqual(['YML004 ConfigMap/escaped: Invalid escape sequence \\q [error]']);
  });
});
