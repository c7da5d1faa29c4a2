import { ApiObject, Testing } from 'cdk8s';
import { ControllerManagedFields, GantryErrors } from '../../src';

describe('ControllerManagedFields', () => {
  const object = () => new ApiObject(Testing.chart(), 'Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'orders' } });

  test('records pointers once each, sorted', () => {
    const o = object();
    expect(ControllerManagedFields.has(o)).toBe(false);
    ControllerManagedFields.of(o).add('/spec/template/spec/containers/0/resources');
    ControllerManagedFields.of(o).add('/spec/replicas');
    ControllerManagedFields.of(o).add('/spec/replicas');
    expect(ControllerManagedFields.has(o)).toBe(true);
    expect(ControllerManagedFields.of(o).pointers).toEqual(['/spec/replicas', '/spec/template/spec/containers/0/resources']);
  });

  test('asking for an object\'s fields does not mark any', () => {
    const o = object();
    expect(ControllerManagedFields.of(o).pointers).toEqual([]);
    expect(ControllerManagedFields.has(o)).toBe(false);
  });

  test('accepts escaped keys (~1 for /, ~0 for ~)', () => {
    const o = object();
    ControllerManagedFields.of(o).add('/metadata/annotations/example.com~1weight');
    expect(ControllerManagedFields.of(o).pointers).toEqual(['/metadata/annotations/example.com~1weight']);
  });

  test.each([
    ['spec.replicas'],
    [''],
    ['/spec/~2'],
  ])('fails when the pointer is %j', (pointer) => {
    const o = object();
    let error: any;
    try {
      ControllerManagedFields.of(o).add(pointer);
    } catch (e) {
      error = e;
    }
    expect(GantryErrors.isGantryError(error)).toBe(true);
    expect(error.message).toBe(`ApiObject 'test/Deployment': 'pointer' (${pointer === '' ? '""' : pointer}) is not a JSON pointer; use a pointer such as '/spec/replicas'`);
  });
});
