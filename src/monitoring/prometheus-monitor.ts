import { ApiObject, Duration, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { AlertPresets } from './alert-options';
import { declareAlertingValues } from './alerting-values';
import { dashboardExpressions, dashboardModel } from './dashboard';
import { Instrumentation } from './instrumentation';
import { MetricNames } from './metric-names';
import { AvailabilityObjective, LatencyObjective, objectiveRules, RatioObjective } from './objectives';
import { checkPromQL, rebuildChecked } from './promql';
import { pagingDependentPlaces, Rule } from './routing';
import { presetAlerts } from './rules';
import { resolveMetricNames, Signals, Target } from './signals';
import { checkLabelKey, checkLabelValue, checkSeconds } from '../core/checks';
import { GantryError } from '../core/errors';
import { KubeConfigMap } from '../core/kube';
import { checkProps } from '../core/props';
import { Environment } from '../environment/environment';
import { registerValuesSource, valuesGroupOf } from '../helm/registry';

/**
 * A workload that a PrometheusMonitor can monitor: where its metrics are scraped and what its alerts are about.
 * `GoMicroservice` is one.
 */
export interface IMonitorable extends IConstruct {
  /** The service name: the Service the metrics are scraped through, and so the `job` label of its series. */
  readonly name: string;
  /**
   * The namespace of the workload's objects.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** Labels for the monitoring objects. */
  readonly labels: { [key: string]: string };
  /** The labels that select the workload's pods and Service. */
  readonly selectorLabels: { [key: string]: string };
  /** Container ports by name. */
  readonly ports: { [name: string]: number };
  /** The name of the port that serves metrics. */
  readonly metricsPortName: string;
  /** The name of the Deployment whose pods serve (its pods are named `<deploymentName>-<hash>-<suffix>`). */
  readonly deploymentName: string;
  /** The name of the container that serves. */
  readonly containerName: string;
  /**
   * The name of the HorizontalPodAutoscaler scaling the workload.
   * @default - not autoscaled
   */
  readonly autoscalerName?: string;
}

/** How Prometheus finds the service's metrics endpoints. */
export enum ScrapeTarget {
  /** A ServiceMonitor: the Service's endpoints, by the Service port name (the default). */
  SERVICE = 'ServiceMonitor',
  /**
   * A PodMonitor: the pods directly, by the container port name; for pods that should be scraped even when they are
   * not ready (and so not in the Service's endpoints).
   */
  POD = 'PodMonitor',
}

/**
 * A relabeling of scraped targets (`RelabelConfig`).
 */
export interface Relabeling {
  /**
   * Labels to read, joined by `separator`.
   * @default - none
   */
  readonly sourceLabels?: string[];
  /**
   * The separator between joined source label values.
   * @default ';'
   */
  readonly separator?: string;
  /**
   * The label to write.
   * @default - none
   */
  readonly targetLabel?: string;
  /**
   * The regular expression matched against the joined source values.
   * @default '(.*)'
   */
  readonly regex?: string;
  /**
   * The value written, with `$1` and so on for the regex groups.
   * @default '$1'
   */
  readonly replacement?: string;
  /**
   * `replace`, `keep`, `drop`, `labelmap`, `labeldrop`, `labelkeep`, ...
   * @default 'replace'
   */
  readonly action?: string;
}

/**
 * Options of a PrometheusMonitor.
 */
export interface PrometheusMonitorOptions {
  /**
   * Labels the Prometheus resource selects ServiceMonitors and PrometheusRules by (`serviceMonitorSelector`,
   * `ruleSelector`). kube-prometheus-stack selects `release: <its release name>`.
   * @default { release: 'kube-prometheus-stack' }
   */
  readonly prometheusSelector?: { [key: string]: string };

  /**
   * Scrape through the Service (ServiceMonitor) or the pods (PodMonitor).
   * @default ScrapeTarget.SERVICE
   */
  readonly scrapeTarget?: ScrapeTarget;

  /**
   * The name of the port to scrape (a Service port for a ServiceMonitor, a container port for a PodMonitor).
   * @default 'metrics'
   */
  readonly port?: string;

  /**
   * The metrics path.
   * @default '/metrics'
   */
  readonly path?: string;

  /**
   * How often to scrape.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * How long a scrape may take; at most `interval`.
   * @default Duration.seconds(10)
   */
  readonly scrapeTimeout?: Duration;

  /**
   * Relabelings of the scraped target.
   * @default - none
   */
  readonly relabelings?: Relabeling[];

  /**
   * Leave out the preset alerts that kube-prometheus-stack's kubernetes-mixin already raises for every workload
   * (restarts and crash loops, unavailable replicas, a stuck rollout, the HPA at its maximum, CPU throttling), so that
   * nobody gets the same page twice at different thresholds. A preset tuned in `alerts` stays.
   * @default false
   */
  readonly alongsideKubernetesMixin?: boolean;

  /**
   * Tuning of the preset alerts.
   * @default - every preset on, with its defaults
   */
  readonly alerts?: AlertPresets;

  /**
   * How the service is instrumented: its request metrics, the codes that count as errors, its histogram buckets.
   * @default Instrumentation.promhttp()
   */
  readonly instrumentation?: Instrumentation;

  /**
   * The service's metric names, over those of `instrumentation`.
   * @default - the instrumentation's
   */
  readonly metricNames?: MetricNames;

  /**
   * The request duration histogram's bucket boundaries, for a histogram that is not the instrumentation's own: a
   * latency objective's threshold must be one of them.
   * @default - the instrumentation's buckets
   */
  readonly durationBuckets?: Duration[];

  /**
   * An availability objective, with recording rules and multi-window multi-burn-rate alerts.
   * @default - none
   */
  readonly availability?: AvailabilityObjective;

  /**
   * A latency objective, with the same recording rules and burn-rate alerts, labelled `slo: <name>-latency`.
   * @default - none
   */
  readonly latency?: LatencyObjective;

  /**
   * Objectives on a ratio of your own (failed jobs among all, say), with the same recording rules and burn-rate
   * alerts, labelled `slo: <service>-<name>`.
   * @default - none
   */
  readonly ratios?: RatioObjective[];

  /**
   * Where the runbooks are; each alert links to `<runbookBaseUrl>#<alert name in lowercase>`.
   * @default 'https://github.com/gantry-dev/cdk8s-gantry/blob/main/docs/runbooks.md'
   */
  readonly runbookBaseUrl?: string;

  /**
   * Emit a Grafana dashboard in a ConfigMap labelled for the Grafana sidecar.
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * The label (and value) the Grafana sidecar loads dashboards by.
   * @default { grafana_dashboard: '1' }
   */
  readonly dashboardLabels?: { [key: string]: string };
}

/**
 * Properties of a PrometheusMonitor.
 */
export interface PrometheusMonitorProps extends PrometheusMonitorOptions {
  /** The service to monitor. */
  readonly service: IMonitorable;
}

/**
 * Monitoring for a GoMicroservice with prometheus-operator: a ServiceMonitor that selects the service's Service by
 * label and its metrics port by name (or a PodMonitor), a PrometheusRule with preset alerts (errors, latency, traffic, resources,
 * rollout, Go runtime) and optional SLO burn-rate alerts, and a Grafana dashboard. Every PromQL expression is parsed
 * at synthesis; a broken one is an error naming the construct and the expression.
 *
 * Objects: ServiceMonitor (or PodMonitor) and PrometheusRule named like the service (ids `ServiceMonitor` or
 * `PodMonitor`, `Rules`), ConfigMap
 * `<name>-dashboard` (id `Dashboard`).
 */
export class PrometheusMonitor extends Construct {
  /** The ServiceMonitor, or the PodMonitor. */
  public readonly scrapeConfig: ApiObject;
  /** The PrometheusRule. */
  public readonly rules: ApiObject;
  /** The dashboard ConfigMap, unless turned off. */
  public readonly dashboard?: k8s.KubeConfigMap;
  /** The metric names the alerts, SLOs and dashboard query, defaults filled in. */
  public readonly metricNames: MetricNames;
  /** What the alerts are about: the service, namespace, Deployment, container and HPA they select. */
  private readonly target: Target;

  /**
   * @param scope usually the service itself (see GoMicroservice.addMonitoring)
   * @param id the construct id
   * @param props the monitoring
   */
  constructor(scope: Construct, id: string, props: PrometheusMonitorProps) {
    super(scope, id);
    checkProps(this, 'PrometheusMonitorProps', props);
    const svc = props.service;
    const selector = props.prometheusSelector ?? { release: 'kube-prometheus-stack' };
    for (const [k, v] of Object.entries(selector)) {
      checkLabelKey(this, `prometheusSelector.${k}`, k);
      checkLabelValue(this, `prometheusSelector.${k}`, v);
    }
    (props.relabelings ?? []).forEach((r, i) => checkRelabeling(this, `relabelings[${i}]`, r));
    const port = props.port ?? svc.metricsPortName;
    if (!(port in svc.ports)) {
      throw GantryError.of(this, 'port', port, `is not a port of service ${svc.name} (it has ${Object.keys(svc.ports).join(', ')})`,
        `use its metrics port name, '${svc.metricsPortName}'`);
    }
    const path = props.path ?? '/metrics';
    if (!path.startsWith('/')) {
      throw GantryError.of(this, 'path', path, 'is not an HTTP path', 'use a path such as \'/metrics\'');
    }
    const interval = checkSeconds(this, 'interval', props.interval ?? Duration.seconds(30), 1, 3600);
    const scrapeTimeout = checkSeconds(this, 'scrapeTimeout', props.scrapeTimeout ?? Duration.seconds(10), 1, 3600);
    if (scrapeTimeout > interval) {
      throw GantryError.of(this, 'scrapeTimeout', `${scrapeTimeout}s`, `is longer than the scrape interval (${interval}s)`,
        `use at most Duration.seconds(${interval})`);
    }
    const runbookBase = props.runbookBaseUrl ?? 'https://github.com/gantry-dev/cdk8s-gantry/blob/main/docs/runbooks.md';
    if (!/^https?:\/\/\S+$/.test(runbookBase)) {
      throw GantryError.of(this, 'runbookBaseUrl', runbookBase, 'is not an http(s) URL', 'use the URL of your runbooks page');
    }

    const labels = { ...svc.labels, ...selector };
    const target: Target = {
      service: svc.name,
      namespace: svc.namespace,
      deployment: svc.deploymentName,
      container: svc.containerName,
      hpa: svc.autoscalerName,
    };
    const instrumentation = props.instrumentation ?? Instrumentation.promhttp();
    const signals = new Signals(resolveMetricNames({ ...instrumentation.metricNames, ...props.metricNames }), target);
    const environment = Environment.of(this);
    const routing = { pages: environment?.pages ?? true, labels: { ...environment?.alertLabels } };
    this.metricNames = signals.names;
    this.target = target;

    const endpoint = {
      port,
      path,
      interval: `${interval}s`,
      scrapeTimeout: `${scrapeTimeout}s`,
      relabelings: props.relabelings?.map((r) => ({ ...r })),
    };
    const byPod = props.scrapeTarget === ScrapeTarget.POD;
    this.scrapeConfig = new ApiObject(this, byPod ? 'PodMonitor' : 'ServiceMonitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: byPod ? 'PodMonitor' : 'ServiceMonitor',
      metadata: { name: svc.name, namespace: svc.namespace, labels },
      spec: {
        selector: { matchLabels: { ...svc.selectorLabels } },
        namespaceSelector: svc.namespace ? { matchNames: [svc.namespace] } : undefined,
        // The alerts select series by job="<service>": a ServiceMonitor's job is the Service name; a PodMonitor takes
        // it from this pod label.
        ...(byPod ? { jobLabel: 'app.kubernetes.io/name', podMetricsEndpoints: [endpoint] } : { endpoints: [endpoint] }),
      },
    });

    const groupsOf = (): { name: string; rules: Rule[] }[] => {
      const alerts = presetAlerts(this, props.alerts ?? {}, signals, runbookBase, routing, props.alongsideKubernetesMixin ?? false);
      const slos = objectiveRules(this, props, signals, instrumentation.buckets, target, runbookBase, routing);
      return [{ name: `${svc.name}.alerts`, rules: alerts }, ...(slos.length > 0 ? [{ name: `${svc.name}.slo`, rules: slos }] : [])];
    };
    // Checked now: a mistake in an alert or an objective is an error where the monitoring is defined. The build also
    // tells which alerts' severity follows the routing, for a Helm chart's values.
    const pagingPlaces = pagingDependentPlaces(groupsOf());
    // Built again when written and when exported, and not checked again.
    const groups = () => rebuildChecked(groupsOf);
    this.rules = new ApiObject(this, 'Rules', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: svc.name, namespace: svc.namespace, labels },
      // Built again when written, like the dashboard: the rules are a service's second largest object (about 15 KB),
      // and 1,000 services' rules kept until synthesis would hold about 25 MiB.
      spec: Lazy.any({ produce: () => ({ groups: groups() }) }),
    });
    // In a Helm chart, the routing of the alerts is values: one chart serves every environment.
    const rules = this.rules;
    registerValuesSource(this, {
      group: valuesGroupOf(svc.name),
      declare: (registry) => declareAlertingValues(registry, this, rules, pagingPlaces, routing),
    });

    if (props.dashboard ?? true) {
      const objectives = [
        ...(props.availability ? [{ name: `${svc.name}-availability`, budget: +(1 - props.availability.objective / 100).toPrecision(12) }] : []),
        ...(props.latency ? [{ name: `${svc.name}-latency`, budget: +(1 - props.latency.objective / 100).toPrecision(12) }] : []),
      ];
      const title = `${svc.name}${svc.namespace ? ` (${svc.namespace})` : ''}`;
      const model = () => dashboardModel(title, `gantry-${svc.namespace ?? 'default'}-${svc.name}`.slice(0, 40), signals, objectives);
      for (const e of dashboardExpressions(model())) checkPromQL(this, e.where, e.expr.replace(/\$__rate_interval/g, '5m'));
      this.dashboard = new KubeConfigMap(this, 'Dashboard', {
        metadata: { name: `${svc.name}-dashboard`, namespace: svc.namespace, labels: { ...svc.labels, ...(props.dashboardLabels ?? { grafana_dashboard: '1' }) } },
        // Built again when written, rather than kept: the dashboard is the largest object of a service (about 15 KB).
        data: { [`${svc.name}.json`]: Lazy.any({ produce: () => JSON.stringify(model(), undefined, 2) + '\n' }) },
      });
    }
  }

  /**
   * The PromQL signals of the service, the ones its alerts are built from.
   * @internal
   */
  public _signals(): Signals {
    return new Signals(resolveMetricNames(this.metricNames), this.target);
  }
}

const RELABEL_ACTIONS = ['replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase'];

/** A relabeling Prometheus would load: a known action, and a regular expression that compiles. */
function checkRelabeling(scope: Construct, property: string, r: Relabeling): void {
  if (r.action !== undefined && !RELABEL_ACTIONS.includes(r.action)) {
    throw GantryError.of(scope, `${property}.action`, r.action, 'is not a relabeling action', `use one of: ${RELABEL_ACTIONS.join(', ')}`);
  }
  if (r.regex !== undefined) {
    // JavaScript's regular expressions stand in for Go's RE2 here: the syntax both share is what relabelings use.
    try {
      new RegExp(`^(?:${r.regex})$`);
    } catch (e) {
      throw GantryError.of(scope, `${property}.regex`, r.regex, `does not compile (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`,
        'fix the expression; Prometheus anchors it at both ends');
    }
  }
}
