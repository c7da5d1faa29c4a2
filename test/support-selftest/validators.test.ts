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

// ---------------------------------------------------------------------------
// Istio and Argo Rollouts CRDs
// ---------------------------------------------------------------------------

const meshMeta = (name: string) => ({ name, namespace: 'shop', labels });

/** Canary by header, then a weighted stable/canary split with retries, a timeout and a mirror. */
function virtualService(): any {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: meshMeta('web'),
    spec: {
      hosts: ['web.shop.svc.cluster.local', 'web.example.com'],
      gateways: ['mesh', 'istio-ingress/public'],
      http: [
        {
          name: 'canary-by-header',
          match: [{ headers: { 'x-canary': { exact: 'always' } }, uri: { prefix: '/' } }],
          route: [{ destination: { host: 'web', subset: 'canary', port: { number: 80 } } }],
        },
        {
          name: 'primary',
          route: [
            { destination: { host: 'web', subset: 'stable', port: { number: 80 } }, weight: 90 },
            { destination: { host: 'web', subset: 'canary', port: { number: 80 } }, weight: 10 },
          ],
          retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset,connect-failure' },
          timeout: '10s',
          mirror: { host: 'web-shadow', port: { number: 80 } },
          mirrorPercentage: { value: 5.5 },
          headers: { request: { set: { 'x-gantry-track': 'primary' } } },
        },
      ],
    },
  };
}

function destinationRule(): any {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'DestinationRule',
    metadata: meshMeta('web'),
    spec: {
      host: 'web.shop.svc.cluster.local',
      trafficPolicy: {
        connectionPool: {
          tcp: { maxConnections: 100, connectTimeout: '3s' },
          http: { http1MaxPendingRequests: 64, http2MaxRequests: 1000, maxRequestsPerConnection: 100, maxRetries: 3, idleTimeout: '60s' },
        },
        outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
        loadBalancer: { simple: 'LEAST_REQUEST' },
        tls: { mode: 'ISTIO_MUTUAL' },
      },
      subsets: [
        { name: 'stable', labels: { 'rollouts-pod-template-hash': '6d4f8b7c9' } },
        { name: 'canary', labels: { 'rollouts-pod-template-hash': '5b9c7d6f4' }, trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } },
      ],
    },
  };
}

function gateway(): any {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'Gateway',
    metadata: meshMeta('public'),
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [
        {
          port: { number: 443, name: 'https', protocol: 'HTTPS' },
          hosts: ['shop/web.example.com'],
          tls: { mode: 'SIMPLE', credentialName: 'web-tls', minProtocolVersion: 'TLSV1_2' },
        },
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop/web.example.com'], tls: { httpsRedirect: true } },
      ],
    },
  };
}

function serviceEntry(): any {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'ServiceEntry',
    metadata: meshMeta('payments-api'),
    spec: {
      hosts: ['api.payments.example.com'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 443, name: 'https', protocol: 'TLS' }],
      exportTo: ['.'],
    },
  };
}

function peerAuthentication(): any {
  return {
    apiVersion: 'security.istio.io/v1beta1',
    kind: 'PeerAuthentication',
    metadata: meshMeta('web'),
    spec: { selector: { matchLabels: labels }, mtls: { mode: 'STRICT' }, portLevelMtls: { 9090: { mode: 'PERMISSIVE' } } },
  };
}

function authorizationPolicy(apiVersion = 'security.istio.io/v1beta1'): any {
  return {
    apiVersion,
    kind: 'AuthorizationPolicy',
    metadata: meshMeta('web'),
    spec: {
      selector: { matchLabels: labels },
      action: 'ALLOW',
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingressgateway'], namespaces: ['shop'] } }],
        to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/*'], ports: ['8080'] } }],
        when: [{ key: 'request.headers[x-tenant]', values: ['acme'] }],
      }],
    },
  };
}

/** A canary Rollout that takes over an existing Deployment, with Istio subset-level traffic routing. */
function canaryRollout(): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: meshMeta('web'),
    spec: {
      replicas: 4,
      revisionHistoryLimit: 3,
      selector: { matchLabels: labels },
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown: 'progressively' },
      strategy: {
        canary: {
          maxSurge: '25%',
          maxUnavailable: 0,
          // Background analysis, from the second step on.
          analysis: { templates: [{ templateName: 'success-rate' }], startingStep: 2, args: [{ name: 'service', value: 'web' }] },
          steps: [
            { setWeight: 10 },
            { pause: { duration: '5m' } },
            { setWeight: 50 },
            { analysis: { templates: [{ templateName: 'latency', clusterScope: true }], args: [{ name: 'service', value: 'web' }] } },
            { pause: {} },
          ],
          trafficRouting: {
            istio: {
              virtualService: { name: 'web', routes: ['primary'] },
              destinationRule: { name: 'web', canarySubsetName: 'canary', stableSubsetName: 'stable' },
            },
          },
        },
      },
    },
  };
}

function blueGreenRollout(): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: meshMeta('web'),
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{
            name: 'app',
            image: 'ghcr.io/gantry-dev/web:1.2.3',
            ports: [{ name: 'http', containerPort: 8080 }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          }],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
      strategy: {
        blueGreen: {
          activeService: 'web',
          previewService: 'web-preview',
          autoPromotionEnabled: false,
          scaleDownDelaySeconds: 30,
          prePromotionAnalysis: { templates: [{ templateName: 'smoke' }], args: [{ name: 'service', value: 'web-preview' }] },
        },
      },
    },
  };
}

function analysisTemplate(kind = 'AnalysisTemplate'): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind,
    metadata: kind === 'ClusterAnalysisTemplate' ? { name: 'success-rate' } : meshMeta('success-rate'),
    spec: {
      args: [{ name: 'service' }, { name: 'namespace', value: 'shop' }],
      metrics: [{
        name: 'success-rate',
        interval: '1m',
        count: 5,
        failureLimit: 1,
        successCondition: 'result[0] >= 0.99',
        provider: {
          prometheus: {
            address: 'http://prometheus.monitoring.svc:9090',
            query: 'sum(rate(http_requests_total{service="{{args.service}}",code!~"5.."}[2m])) / sum(rate(http_requests_total{service="{{args.service}}"}[2m]))',
          },
        },
      }],
    },
  };
}

function analysisRun(): any {
  const { spec } = analysisTemplate();
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: meshMeta('web-6d4f8b7c9-2'),
    spec: { ...spec, args: [{ name: 'service', value: 'web' }, { name: 'namespace', value: 'shop' }] },
  };
}

function experiment(): any {
  const baseline = { ...labels, track: 'baseline' };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: meshMeta('web-baseline'),
    spec: {
      duration: '20m',
      templates: [{
        name: 'baseline',
        replicas: 1,
        selector: { matchLabels: baseline },
        template: { metadata: { labels: baseline }, spec: { containers: [{ name: 'app', image: 'ghcr.io/gantry-dev/web:1.2.2' }] } },
      }],
      analyses: [{ name: 'compare', templateName: 'success-rate', args: [{ name: 'service', value: 'web' }] }],
    },
  };
}

const canary = (r: any) => r.spec.strategy.canary;
const metric = (t: any) => t.spec.metrics[0];

describe('schemaProblems: Istio and Argo Rollouts CRDs', () => {
  test('every Istio and Argo Rollouts kind validates, and unknown fields are caught in metadata and spec', () => {
    const objects: any[] = [
      virtualService(), destinationRule(), gateway(), serviceEntry(), peerAuthentication(), authorizationPolicy(),
      authorizationPolicy('security.istio.io/v1'),
      canaryRollout(), blueGreenRollout(), analysisTemplate(), analysisTemplate('ClusterAnalysisTemplate'), analysisRun(), experiment(),
    ];
    for (const o of objects) {
      expect(schemaProblems(o)).toEqual([]);
      expect(schemaProblems({ ...o, metadata: { ...o.metadata, nmae: 'x' }, spec: { ...o.spec, lables: {} } })).toEqual([
        // These schemas list spec before metadata, and the validator reads them in that order.
        `${o.kind}/${o.metadata.name}: spec.lables: unknown field`,
        `${o.kind}/${o.metadata.name}: metadata.nmae: unknown field`,
      ]);
    }
  });

  test('networking.istio.io/v1 has no schema: the package carries Istio 1.18, which predates it', () => {
    expect(schemaProblems({ ...virtualService(), apiVersion: 'networking.istio.io/v1' })).toEqual([
      'VirtualService/web: (root): no schema registered for apiVersion "networking.istio.io/v1" kind "VirtualService" ' +
        '(add it with registerModel() in test/support/validators.ts)',
    ]);
  });

  test('VirtualService: misspelled fields, wrong types and ambiguous matches are reported', () => {
    const vs = virtualService();
    vs.spec.http[1].route[0].weight = '90';
    vs.spec.http[1].timeout = 10;
    vs.spec.http[1].mirrorPercentage.value = '5';
    vs.spec.http[1].retries.perTryTimout = '1s';
    vs.spec.http[0].match[0].headers['x-canary'] = { exactt: 'always' };
    vs.spec.http[0].match[0].uri = { prefix: '/', exact: '/healthz' };
    expect(schemaProblems(vs)).toEqual([
      'VirtualService/web: spec.http[0].match[0].uri: must NOT be valid; must match exactly one schema in oneOf',
      'VirtualService/web: spec.http[1].mirrorPercentage.value: must be number',
      'VirtualService/web: spec.http[1].route[0].weight: must be integer',
      'VirtualService/web: spec.http[1].timeout: must be string',
      'VirtualService/web: spec.http[0].match[0].headers["x-canary"].exactt: unknown field',
      'VirtualService/web: spec.http[1].retries.perTryTimout: unknown field',
    ]);
  });

  test('DestinationRule: enum violations and misspelled fields (also inside oneOf alternatives) are reported', () => {
    const dr = destinationRule();
    dr.spec.trafficPolicy.tls.mode = 'ISTIO_MTLS';
    dr.spec.subsets[1].trafficPolicy.loadBalancer.simple = 'LEAST_CONNECTIONS';
    dr.spec.trafficPolicy.outlierDetection.consecutive5xxErrorss = 3;
    dr.spec.trafficPolicy.loadBalancer = { consistentHash: { httpHeaderNmae: 'x-user' } };
    dr.spec.trafficPolicy.connectionPool.http.maxRetries = '3';
    expect(schemaProblems(dr)).toEqual([
      'DestinationRule/web: spec.subsets[1].trafficPolicy.loadBalancer.simple: must be equal to one of the allowed values ' +
        '{"allowedValues":["UNSPECIFIED","LEAST_CONN","RANDOM","PASSTHROUGH","ROUND_ROBIN","LEAST_REQUEST"]}',
      'DestinationRule/web: spec.trafficPolicy.connectionPool.http.maxRetries: must be integer',
      'DestinationRule/web: spec.trafficPolicy.tls.mode: must be equal to one of the allowed values ' +
        '{"allowedValues":["DISABLE","SIMPLE","MUTUAL","ISTIO_MUTUAL"]}',
      'DestinationRule/web: spec.trafficPolicy.loadBalancer.consistentHash.httpHeaderNmae: unknown field',
      'DestinationRule/web: spec.trafficPolicy.outlierDetection.consecutive5xxErrorss: unknown field',
    ]);
  });

  test('Gateway, ServiceEntry, PeerAuthentication and AuthorizationPolicy enums are checked', () => {
    const gw = gateway();
    gw.spec.servers[0].tls.mode = 'TLS';
    const se = serviceEntry();
    se.spec.resolution = 'DNS_ROUNDROBIN';
    const pa = peerAuthentication();
    pa.spec.portLevelMtls[9090].mode = 'STRICTLY';
    const ap = authorizationPolicy();
    ap.spec.action = 'PERMIT';
    const apV1 = authorizationPolicy('security.istio.io/v1');
    apV1.spec.rules[0].to[0].operation.method = ['GET'];
    expect([gw, se, pa, ap, apV1].map(schemaProblems)).toEqual([
      ['Gateway/public: spec.servers[0].tls.mode: must be equal to one of the allowed values ' +
        '{"allowedValues":["PASSTHROUGH","SIMPLE","MUTUAL","AUTO_PASSTHROUGH","ISTIO_MUTUAL"]}'],
      ['ServiceEntry/payments-api: spec.resolution: must be equal to one of the allowed values ' +
        '{"allowedValues":["NONE","STATIC","DNS","DNS_ROUND_ROBIN"]}'],
      ['PeerAuthentication/web: spec.portLevelMtls["9090"].mode: must be equal to one of the allowed values ' +
        '{"allowedValues":["UNSET","DISABLE","PERMISSIVE","STRICT"]}'],
      ['AuthorizationPolicy/web: spec.action: must be equal to one of the allowed values {"allowedValues":["ALLOW","DENY","AUDIT","CUSTOM"]}'],
      ['AuthorizationPolicy/web: spec.rules[0].to[0].operation.method: unknown field'],
    ]);
  });

  test('canary Rollout: a misspelled traffic-routing field, wrong types and a missing subset name are reported', () => {
    const r = canaryRollout();
    const istio = canary(r).trafficRouting.istio;
    istio.virtualServce = istio.virtualService;
    delete istio.virtualService;
    delete istio.destinationRule.stableSubsetName;
    canary(r).steps[0].setWeight = '10';
    canary(r).steps[1].pause.duration = true;
    canary(r).analysis.templates[0].templateNmae = 'x';
    expect(schemaProblems(r)).toEqual([
      'Rollout/web: spec.strategy.canary.steps[0].setWeight: must be integer',
      'Rollout/web: spec.strategy.canary.steps[1].pause.duration: must be integer; must be string; must match a schema in anyOf',
      "Rollout/web: spec.strategy.canary.trafficRouting.istio.destinationRule: must have required property 'stableSubsetName'",
      'Rollout/web: spec.strategy.canary.analysis.templates[0].templateNmae: unknown field',
      'Rollout/web: spec.strategy.canary.trafficRouting.istio.virtualServce: unknown field',
    ]);
  });

  test('Rollout workloadRef.scaleDown (newer than the packaged 1.5 schema) is accepted, type-checked, and its misspelling is not', () => {
    const wrongType = canaryRollout();
    wrongType.spec.workloadRef.scaleDown = true;
    expect(schemaProblems(wrongType)).toEqual(['Rollout/web: spec.workloadRef.scaleDown: must be string']);
    const misspelled = canaryRollout();
    misspelled.spec.workloadRef.scaledown = misspelled.spec.workloadRef.scaleDown;
    delete misspelled.spec.workloadRef.scaleDown;
    expect(schemaProblems(misspelled)).toEqual(['Rollout/web: spec.workloadRef.scaledown: unknown field']);
  });

  test('blueGreen Rollout: a missing active Service, a string boolean and typos in the pod template are reported', () => {
    const r = blueGreenRollout();
    delete r.spec.strategy.blueGreen.activeService;
    r.spec.strategy.blueGreen.autoPromotionEnabled = 'false';
    r.spec.strategy.blueGreen.prePromotionAnalysis.templates[0].clusterscope = true;
    r.spec.template.spec.containers[0].imagePullPolizy = 'Always';
    r.spec.template.spec.containers[0].securityContext.runAsNonroot = true;
    expect(schemaProblems(r)).toEqual([
      "Rollout/web: spec.strategy.blueGreen: must have required property 'activeService'",
      'Rollout/web: spec.strategy.blueGreen.autoPromotionEnabled: must be boolean',
      'Rollout/web: spec.strategy.blueGreen.prePromotionAnalysis.templates[0].clusterscope: unknown field',
      'Rollout/web: spec.template.spec.containers[0].imagePullPolizy: unknown field',
      'Rollout/web: spec.template.spec.containers[0].securityContext.runAsNonroot: unknown field',
    ]);
  });

  test('AnalysisTemplate: a missing provider, wrong types and misspelled metric fields are reported', () => {
    const t = analysisTemplate();
    metric(t).interval = 60;
    metric(t).count = true;
    metric(t).successCondtion = metric(t).successCondition;
    metric(t).provider.prometheus.qeury = 'up';
    const noProvider = analysisTemplate();
    delete metric(noProvider).provider;
    expect(schemaProblems(t)).toEqual([
      'AnalysisTemplate/success-rate: spec.metrics[0].count: must be integer; must be string; must match a schema in anyOf',
      'AnalysisTemplate/success-rate: spec.metrics[0].interval: must be string',
      'AnalysisTemplate/success-rate: spec.metrics[0].successCondtion: unknown field',
      'AnalysisTemplate/success-rate: spec.metrics[0].provider.prometheus.qeury: unknown field',
    ]);
    expect(schemaProblems(noProvider)).toEqual(["AnalysisTemplate/success-rate: spec.metrics[0]: must have required property 'provider'"]);
  });

  test('AnalysisTemplate: fields Argo Rollouts added after 1.5 are reported as unknown (the packaged schema is 1.5.0)', () => {
    const t = analysisTemplate();
    metric(t).provider.prometheus.timeout = 30; // Argo Rollouts 1.6
    metric(t).consecutiveSuccessLimit = 3; // Argo Rollouts 1.8
    expect(schemaProblems(t)).toEqual([
      'AnalysisTemplate/success-rate: spec.metrics[0].consecutiveSuccessLimit: unknown field',
      'AnalysisTemplate/success-rate: spec.metrics[0].provider.prometheus.timeout: unknown field',
    ]);
  });

  test('known blind spots: what the upstream schemas leave free-form or optional is NOT reported', () => {
    // Argo Rollouts' CRDs preserve unknown fields in pod template volumes, resource quantities and traffic-router plugins.
    const bg = blueGreenRollout();
    bg.spec.template.spec.volumes[0].emptyDirr = {};
    bg.spec.template.spec.containers[0].resources.limits.memory = { not: 'a quantity' };
    const r = canaryRollout();
    canary(r).trafficRouting.plugins = { 'argoproj-labs/gatewayAPI': { anything: 'goes' } };
    // Istio 1.18's DestinationRule schema requires no subset name (later Istio releases do).
    const dr = destinationRule();
    delete dr.spec.subsets[0].name;
    // An AnalysisTemplate count may be an integer or a string (for `{{args.count}}`), so '5' is valid; the web
    // provider's jsonBody is free-form.
    const t = analysisTemplate();
    metric(t).count = '5';
    metric(t).provider = { web: { url: 'http://web.shop/healthz', jsonPath: '{$.ok}', jsonBody: { anything: { goes: 1 } } } };
    // `status` is free-form in every Istio and Argo Rollouts schema.
    const vs = { ...virtualService(), status: { anything: 1 } };
    expect([bg, r, dr, t, vs].map(schemaProblems)).toEqual([[], [], [], [], []]);
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
