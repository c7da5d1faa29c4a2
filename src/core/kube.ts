import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { fastApiObjectJson } from './render';

// The typed Kubernetes objects Gantry's constructs create: cdk8s-plus-28's generated `k8s` classes, with one fix.
//
// The generated classes convert their JSON after cdk8s has applied the JSON patches of the escape hatch, and the
// conversion reads int-or-string and quantity fields as `{ value }` objects. A patch that writes a plain value there
// (`maxSurge: 2`, `targetPort: 8080`, `nvidia.com/gpu: '1'`) would silently vanish. These subclasses apply the
// patches after the conversion instead, to the JSON as it will be written: what a patch says is what the file says.

type ApiObjectClass = (new (...args: any[]) => ApiObject) & { readonly GVK: { apiVersion: string; kind: string } };

// They also render faster: cdk8s's part of the JSON (resolving Lazy values, dropping empty ones, sorting keys) is
// computed by `fastApiObjectJson` (render.ts), then converted by the generated class's own conversion, as it would be.

function patchesLast<T extends ApiObjectClass>(base: T, convert: (props: any) => Record<string, any> | undefined): T {
  const patched = class extends base {
    public toJson(): any {
      // `patches` is cdk8s's private list of this object's JsonPatches; should it ever be renamed, this falls back to
      // cdk8s's own order.
      const self = this as unknown as { patches?: JsonPatch[] };
      const patches = self.patches;
      const resolved = fastApiObjectJson(this, false);
      if (resolved !== undefined && Array.isArray(patches)) {
        const json = { ...base.GVK, ...convert(resolved) };
        return patches.length === 0 ? json : JsonPatch.apply(json, ...patches);
      }
      if (!Array.isArray(patches) || patches.length === 0) return super.toJson();
      (self as any).patches = [];
      let json: any;
      try {
        json = super.toJson();
      } finally {
        (self as any).patches = patches;
      }
      return JsonPatch.apply(json, ...patches);
    }
  };
  // Error messages name a construct by its class: keep the generated class's name.
  Object.defineProperty(patched, 'name', { value: base.name });
  return patched;
}

export const KubeConfigMap = patchesLast(k8s.KubeConfigMap, k8s.toJson_KubeConfigMapProps);
export const KubeDeployment = patchesLast(k8s.KubeDeployment, k8s.toJson_KubeDeploymentProps);
export const KubeHorizontalPodAutoscalerV2 = patchesLast(k8s.KubeHorizontalPodAutoscalerV2, k8s.toJson_KubeHorizontalPodAutoscalerV2Props);
export const KubeNetworkPolicy = patchesLast(k8s.KubeNetworkPolicy, k8s.toJson_KubeNetworkPolicyProps);
export const KubePodDisruptionBudget = patchesLast(k8s.KubePodDisruptionBudget, k8s.toJson_KubePodDisruptionBudgetProps);
export const KubeService = patchesLast(k8s.KubeService, k8s.toJson_KubeServiceProps);
export const KubeServiceAccount = patchesLast(k8s.KubeServiceAccount, k8s.toJson_KubeServiceAccountProps);
