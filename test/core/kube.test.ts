import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { GoMicroservice } from '../../src';
import { KubeDeployment } from '../../src/core/kube';
import { newChart, only, synth } from '../harness';

// The escape hatch: a JSON patch on a typed object reaches the output as written, int-or-string and quantity fields
// included (cdk8s-plus-28's generated classes alone drop a plain value written there).

describe('typed objects', () => {
  test('are cdk8s-plus-28 k8s classes', () => {
    const { chart } = newChart();
    const svc = new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', autoscaling: { maxReplicas: 4 } });
    expect(svc.deployment).toBeInstanceOf(k8s.KubeDeployment);
    expect(svc.service).toBeInstanceOf(k8s.KubeService);
    expect(svc.serviceAccount).toBeInstanceOf(k8s.KubeServiceAccount);
    expect(svc.podDisruptionBudget).toBeInstanceOf(k8s.KubePodDisruptionBudget);
    expect(svc.networkPolicy).toBeInstanceOf(k8s.KubeNetworkPolicy);
    expect(svc.hpa!.apiObject).toBeInstanceOf(k8s.KubeHorizontalPodAutoscalerV2);
    expect(KubeDeployment.name).toBe('KubeDeployment');
  });

  test('keep JSON patches on int-or-string and quantity fields', () => {
    const { chart } = newChart();
    const svc = new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
    svc.deployment.addJsonPatch(
      JsonPatch.replace('/spec/strategy/rollingUpdate/maxSurge', 2),
      JsonPatch.add('/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu', '1'),
      JsonPatch.add('/spec/template/spec/priorityClassName', 'high'),
    );
    svc.service.addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', 8080));
    svc.podDisruptionBudget!.addJsonPatch(JsonPatch.replace('/spec/minAvailable', '50%'));
    const objects = synth(chart);
    const deployment = only(objects, 'Deployment');
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 2, maxUnavailable: 0 });
    expect(deployment.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    expect(deployment.spec.template.spec.priorityClassName).toBe('high');
    expect(only(objects, 'Service').spec.ports[0].targetPort).toBe(8080);
    expect(only(objects, 'PodDisruptionBudget').spec.minAvailable).toBe('50%');
  });

  test('render exactly as before when nothing is patched', () => {
    const { chart } = newChart();
    const svc = new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
    const unpatched = svc.deployment.toJson();
    svc.deployment.addJsonPatch(JsonPatch.add('/metadata/annotations', { note: 'x' }));
    const { metadata, ...rest } = svc.deployment.toJson();
    const { metadata: before, ...restBefore } = unpatched;
    expect(rest).toEqual(restBefore);
    expect(metadata.annotations).toEqual({ note: 'x' });
    expect({ ...metadata, annotations: undefined }).toEqual({ ...before, annotations: undefined });
  });
});
