import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { GoMicroserviceProps } from './go-microservice-props';
import { PodTemplate, PodTemplateInput } from './pod-template';
import { RolloutSpec } from './rolling-deployment';
import { checkDns1035, checkInt } from '../core/checks';
import { GantryError } from '../core/errors';
import { parseImage } from '../core/image';
import { KubeDeployment } from '../core/kube';
import { compactLabels, RecommendedLabels as L, versionOfTag } from '../core/labels';

/** The pod label that tells the tracks of a service apart: `stable` and `canary`, or `blue` and `green`. */
export const TRACK_LABEL = 'gantry.dev/track';

/**
 * Options of an extra track of a GoMicroservice.
 */
export interface TrackOptions {
  /**
   * The track of the service's own Deployment, put on its pods as the label `gantry.dev/track` (`stable` next to a
   * `canary`, `blue` next to `green`). Every track of a service names the same one.
   */
  readonly primaryTrack: string;

  /**
   * The image the track runs.
   * @default - the service's image
   */
  readonly image?: string;

  /**
   * The track's pods. The service's HPA scales only its own Deployment.
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * A Deployment that runs a GoMicroservice's pods beside its own, as another track (a canary, or the other colour of a
 * blue-green pair). Its pods carry the service's selector labels, so the Service, PodDisruptionBudget and
 * NetworkPolicy cover them, plus `gantry.dev/track: <track>`.
 */
export interface WorkloadTrack {
  /** The track's name (`canary`, `green`, ...). */
  readonly track: string;
  /** The track's Deployment, named `<service>-<track>`. */
  readonly deployment: k8s.KubeDeployment;
  /** The labels that select the track's pods, and only them. */
  readonly podSelector: { [key: string]: string };
  /** The image the track runs. */
  readonly image: string;
  /** JSON pointer to the track's container in its Deployment. */
  readonly containerPointer: string;
}

/** What the tracks of a service are built from. */
export interface TrackSource {
  readonly props: GoMicroserviceProps;
  readonly input: PodTemplateInput;
  readonly rollout: RolloutSpec;
  readonly metadata: (kind: string, name: string) => k8s.ObjectMeta;
}

/** The tracks of one service. */
export class Tracks {
  private primary?: string;
  private readonly byName = new Map<string, WorkloadTrack>();

  constructor(private readonly scope: Construct, private readonly source: TrackSource) {}

  /** The track of the service's own Deployment, once a second track exists. */
  public get primaryTrack(): string | undefined {
    return this.primary;
  }

  /** The tracks added, by name. */
  public get all(): WorkloadTrack[] {
    return [...this.byName.values()];
  }

  public add(track: string, options: TrackOptions): WorkloadTrack {
    const { scope, source } = this;
    const name = source.input.name;
    checkDns1035(scope, 'track', track, 63 - name.length - 1);
    checkDns1035(scope, 'primaryTrack', options.primaryTrack, 63);
    if (this.primary !== undefined && this.primary !== options.primaryTrack) {
      throw GantryError.of(scope, 'primaryTrack', options.primaryTrack, `differs from the track the service already runs as (${this.primary})`,
        `use '${this.primary}'`);
    }
    if (track === options.primaryTrack || this.byName.has(track)) {
      throw GantryError.of(scope, 'track', track, 'is already a track of this service', 'give each track its own name');
    }
    const replicas = options.replicas ?? 1;
    checkInt(scope, `tracks.${track}.replicas`, replicas, 0, 10000);
    const image = options.image ?? source.props.image;
    const reference = parseImage(scope, `tracks.${track}.image`, image);
    this.primary = options.primaryTrack;

    const labels = compactLabels({ ...source.input.labels, [L.VERSION]: source.props.version ?? versionOfTag(reference.tag) });
    const podSelector = { ...source.input.selectorLabels, [TRACK_LABEL]: track };
    const template = new PodTemplate(scope, { ...source.props, image }, { ...source.input, labels: { ...labels, [TRACK_LABEL]: track } });
    const deployment = new KubeDeployment(scope, `Track-${track}`, {
      metadata: { ...source.metadata('Deployment', `${name}-${track}`), labels: { ...labels } },
      spec: Lazy.any({
        produce: (): k8s.DeploymentSpec => ({ replicas, ...source.rollout, selector: { matchLabels: { ...podSelector } }, template: template.spec }),
      }),
    });
    const result: WorkloadTrack = { track, deployment, podSelector, image, containerPointer: template.containerPointer };
    this.byName.set(track, result);
    return result;
  }

  /** The service's own pod template, with its track label once it has one. */
  public primaryTemplate(template: k8s.PodTemplateSpec): k8s.PodTemplateSpec {
    if (this.primary === undefined) return template;
    return { ...template, metadata: { ...template.metadata, labels: { ...template.metadata?.labels, [TRACK_LABEL]: this.primary } } };
  }
}
