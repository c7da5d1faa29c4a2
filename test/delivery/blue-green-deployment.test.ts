import { Construct } from 'constructs';
import { BlueGreenDeployment, BlueGreenDeploymentProps, DeploymentColor, GoMicroservice } from '../../src';
import { gantryError, newChart, only, synth } from '../harness';

const BLUE = 'ghcr.io/acme/payments:3.0.1';
const GREEN = 'ghcr.io/acme/payments:3.1.0';

function release(active: DeploymentColor): any[] {
  const { chart } = newChart({ namespace: 'shop' });
  const payments = new GoMicroservice(chart, 'payments', { image: BLUE, replicas: 3 });
  new BlueGreenDeployment(chart, 'payments-release', { service: payments, greenImage: GREEN, active });
  return synth(chart);
}

describe('BlueGreenDeployment', () => {
  test('two Deployments labelled by colour; the Service selects the live one, the preview the other', () => {
    const objects = release(DeploymentColor.BLUE);
    expect(objects.filter((o) => o.kind === 'Service')).toMatchSnapshot();
    const track = (name: string) => only(objects, 'Deployment', name).spec.template.metadata.labels['gantry.dev/track'];
    expect([track('payments'), track('payments-green')]).toEqual(['blue', 'green']);
    expect(only(objects, 'Deployment', 'payments-green').spec.replicas).toBe(3);
    expect(only(objects, 'Deployment', 'payments-green').spec.template.spec.containers[0].image).toBe(GREEN);
    expect(only(objects, 'Service', 'payments').spec.selector['gantry.dev/track']).toBe('blue');
    expect(only(objects, 'Service', 'payments-preview').spec.selector['gantry.dev/track']).toBe('green');
  });

  test('switching is one prop: the two selectors change and nothing else', () => {
    const blue = release(DeploymentColor.BLUE);
    const green = release(DeploymentColor.GREEN);
    expect(only(green, 'Service', 'payments').spec.selector['gantry.dev/track']).toBe('green');
    expect(only(green, 'Service', 'payments-preview').spec.selector['gantry.dev/track']).toBe('blue');
    const withoutServices = (objects: any[]) => objects.filter((o) => o.kind !== 'Service');
    expect(withoutServices(green)).toEqual(withoutServices(blue));
  });
});

const PATH = "BlueGreenDeployment 'test/payments-release'";
const bg = (props: Partial<BlueGreenDeploymentProps>) => (chart: Construct) => new BlueGreenDeployment(chart, 'payments-release', {
  service: new GoMicroservice(chart, 'payments', { image: BLUE }), greenImage: GREEN, ...props,
});

describe('BlueGreenDeployment bad input', () => {
  test.each([
    ['green runs the blue image', bg({ greenImage: BLUE }),
      `${PATH}: 'greenImage' (${BLUE}) is the image the blue Deployment runs, so a switch would change nothing; give the other version's image`],
    ['the preview is the live Service', bg({ previewServiceName: 'payments' }),
      `${PATH}: 'previewServiceName' (payments) is the live Service, so the preview would take the live traffic; give the preview a Service of its own, such as 'payments-preview'`],
    ['the active colour is not a colour', bg({ active: 'red' as DeploymentColor }),
      `${PATH}: 'active' (red) is not a DeploymentColor value ('blue', 'green'); use one of DeploymentColor.BLUE, DeploymentColor.GREEN`],
    ['green has no pods', bg({ greenReplicas: 0 }),
      `${PATH}: 'greenReplicas' (0) must be a whole number from 1 to 10000; run as many pods as the live colour needs`],
  ] as [string, (c: Construct) => void, string][])('fails when %s', (_title, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });
});
