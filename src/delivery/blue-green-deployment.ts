import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkDns1035, checkInt } from '../core/checks';
import { GantryError } from '../core/errors';
import { KubeService } from '../core/kube';
import { checkProps } from '../core/props';
import { syncWaveAnnotations } from '../environment/sync-waves';
import { registerValuesSource } from '../helm/registry';
import { scalarHook } from '../helm/template-hooks';
import { ServiceValues } from '../workload/service-values';
import { TRACK_LABEL, WorkloadTrack } from '../workload/tracks';
import { IGoMicroservice } from '../workload/workload-contract';

/** A colour of a blue-green pair. */
export enum DeploymentColor {
  /** The service's own Deployment. */
  BLUE = 'blue',
  /** The second Deployment, `<name>-green`. */
  GREEN = 'green',
}

/**
 * Properties of a BlueGreenDeployment.
 */
export interface BlueGreenDeploymentProps {
  /** The service: its own Deployment is the blue one. */
  readonly service: IGoMicroservice;
  /** The image the green Deployment runs. */
  readonly greenImage: string;
  /**
   * The colour the service's Service sends traffic to. Switching is this one prop (or the Helm value
   * `<service>.blueGreen.active`): a one-line change.
   * @default DeploymentColor.BLUE
   */
  readonly active?: DeploymentColor;
  /**
   * The green Deployment's pods.
   * @default - as many as the service's fewest pods, so that it can take all the traffic
   */
  readonly greenReplicas?: number;
  /**
   * The Service that selects the colour that is not live, to test it before the switch.
   * @default '<service>-preview'
   */
  readonly previewServiceName?: string;
}

/**
 * Blue-green releases with plain Kubernetes, for clusters without Argo Rollouts: the service's own Deployment is
 * `blue`, a second Deployment `<name>-green` runs the other version, both labelled `gantry.dev/track`, and the
 * service's Service selects the live colour only. A preview Service selects the other one. `active` switches.
 *
 * Objects: the green Deployment is the service's track `green`; the preview Service is `<name>-preview` (id
 * `PreviewService`).
 *
 * @example
 * new BlueGreenDeployment(chart, 'payments-release', {
 *   service: payments, greenImage: 'ghcr.io/acme/payments:3.1.0', active: DeploymentColor.BLUE,
 * });
 */
export class BlueGreenDeployment extends Construct {
  /** The live colour. */
  public readonly active: DeploymentColor;
  /** The green track. */
  public readonly green: WorkloadTrack;
  /** The preview Service. */
  public readonly previewService: k8s.KubeService;

  /**
   * @param scope usually the service's chart
   * @param id the construct id
   * @param props the service, the green image and the live colour
   */
  constructor(scope: Construct, id: string, props: BlueGreenDeploymentProps) {
    super(scope, id);
    checkProps(this, 'BlueGreenDeploymentProps', props);
    const service = props.service;
    this.active = props.active ?? DeploymentColor.BLUE;
    if (props.greenImage === service.image) {
      throw GantryError.of(this, 'greenImage', props.greenImage, 'is the image the blue Deployment runs, so a switch would change nothing',
        'give the other version\'s image');
    }
    const previewName = props.previewServiceName ?? `${service.name}-preview`;
    checkDns1035(this, 'previewServiceName', previewName);
    if (previewName === service.name) {
      throw GantryError.of(this, 'previewServiceName', previewName, 'is the live Service, so the preview would take the live traffic',
        `give the preview a Service of its own, such as '${service.name}-preview'`);
    }
    const replicas = props.greenReplicas ?? service.minPods;
    checkInt(this, 'greenReplicas', replicas, 1, 10000, 'run as many pods as the live colour needs');

    this.green = service.addTrack(DeploymentColor.GREEN, { primaryTrack: DeploymentColor.BLUE, image: props.greenImage, replicas });
    service.routeServiceTo(this.active);
    const idle = this.active === DeploymentColor.BLUE ? DeploymentColor.GREEN : DeploymentColor.BLUE;
    const ports: any[] = service.service.toJson().spec.ports;
    this.previewService = new KubeService(this, 'PreviewService', {
      metadata: { name: previewName, namespace: service.namespace, labels: { ...service.labels }, annotations: syncWaveAnnotations(this, 'Service') },
      spec: {
        type: 'ClusterIP',
        selector: { ...service.selectorLabels, [TRACK_LABEL]: idle },
        ports: ports.map((p) => ({ ...p, targetPort: k8s.IntOrString.fromString(String(p.targetPort)) })),
      },
    });

    registerValuesSource(this, {
      group: ServiceValues.groupOf(service.name),
      declare: (registry) => {
        const v = new ServiceValues(registry, service, ServiceValues.groupOf(service.name));
        v.declare(['blueGreen', 'active'], { type: 'string', enum: ['blue', 'green'], description: 'The colour the Service sends traffic to' }, this.active);
        const active = v.ref('blueGreen', 'active');
        const selector = `/spec/selector/${TRACK_LABEL.replace('/', '~1')}`;
        v.hook(service.service, scalarHook(selector, `${active} | quote`));
        v.hook(this.previewService, scalarHook(selector, `ternary "green" "blue" (eq ${active} "blue") | quote`));
      },
    });
  }
}
