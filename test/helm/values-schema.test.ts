import { ApiObject } from 'cdk8s';
import { ValueDeclaration } from '../../src/helm/registry';
import { buildValuesSchema, dereference } from '../../src/helm/values-schema';

/** The schema with every `$ref` replaced by its definition, and `definitions` dropped: what the references stand for. */
function inline(schema: any): any {
  const walk = (s: any): any => {
    if (Array.isArray(s)) return s.map(walk);
    if (s === null || typeof s !== 'object') return s;
    if (s.$ref !== undefined) {
      expect(Object.keys(s)).toEqual(['$ref']);
      const target = dereference(schema, s);
      expect(target).toBeDefined();
      return walk(target);
    }
    return Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'definitions').map(([k, v]) => [k, walk(v)]));
  };
  return walk(schema);
}

/** The schema as it was before parts were shared: each declaration in place, groups made on the way. */
function unshared(declarations: ValueDeclaration[]): any {
  const root: any = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false, required: [], properties: {} };
  for (const d of declarations) {
    let node = root;
    for (const key of d.path.slice(0, -1)) {
      if (node.properties[key] === undefined) {
        node.properties[key] = { type: 'object', additionalProperties: false, required: [], properties: {} };
        node.required.push(key);
      }
      node = node.properties[key];
    }
    node.properties[d.path[d.path.length - 1]] = d.schema;
    node.required.push(d.path[d.path.length - 1]);
  }
  return root;
}

const quantity = () => ({ anyOf: [{ type: 'string', pattern: '^[0-9]+(Mi|Gi)?$' }, { type: 'integer', minimum: 0 }], description: 'Bytes, such as 512Mi' });
const resources = () => ({ type: 'object', properties: { requests: { type: 'object', properties: { memory: quantity() } }, limits: { type: 'object', properties: { memory: quantity() } } } });
const image = () => ({ type: 'object', required: ['tag'], properties: { tag: { type: 'string', not: { const: 'latest' }, description: 'Image tag, not latest' } } });

/** A service's declarations: each call makes new schema objects, as the constructs do. */
function service(name: string, monitoringDescription = 'Render the ServiceMonitor and the PrometheusRule of the service'): ValueDeclaration[] {
  return [
    { path: [name, 'enabled'], schema: { type: 'boolean' }, defaultValue: true },
    { path: [name, 'image'], schema: image(), defaultValue: { tag: '1.0.0' } },
    { path: [name, 'resources'], schema: resources(), defaultValue: {} },
    { path: [name, 'autoscaling', 'enabled'], schema: { type: 'boolean', description: 'Scale the service with a HorizontalPodAutoscaler' }, defaultValue: true },
    { path: [name, 'autoscaling', 'maxReplicas'], schema: { type: 'integer', minimum: 1 }, defaultValue: 10 },
    { path: [name, 'monitoring', 'enabled'], schema: { type: 'boolean', description: monitoringDescription }, defaultValue: true },
  ];
}

describe('buildValuesSchema', () => {
  const declarations = [...service('orders'), ...service('payments'), ...service('search', 'Render the monitoring objects of the search service')];

  test('the references stand for exactly the schema of every declaration in place', () => {
    expect(inline(buildValuesSchema(declarations))).toEqual(unshared(declarations));
  });

  test('repeated declarations and groups are written once, named after their key; a service stays in place', () => {
    const schema = buildValuesSchema(declarations);
    expect(Object.keys(schema.definitions)).toEqual(['image', 'resources', 'enabled', 'monitoring-enabled', 'autoscaling', 'monitoring']);
    expect(schema.properties.orders.properties).toEqual({
      enabled: { type: 'boolean' }, // too short to be worth a reference
      image: { $ref: '#/definitions/image' },
      resources: { $ref: '#/definitions/resources' },
      autoscaling: { $ref: '#/definitions/autoscaling' },
      monitoring: { $ref: '#/definitions/monitoring' },
    });
    // A group holds the shared parts as references too; a key met under two groups is named with its group's.
    expect(schema.definitions.autoscaling.properties.enabled).toEqual({ $ref: '#/definitions/enabled' });
    expect(schema.definitions.monitoring.properties.enabled).toEqual({ $ref: '#/definitions/monitoring-enabled' });
    // Alike services are not merged: a reader finds each service's keys under its own name.
    expect(schema.properties.payments.type).toBe('object');
    // A schema that differs stays in place.
    expect(schema.properties.search.properties.monitoring.properties.enabled.description).toBe('Render the monitoring objects of the search service');
  });

  test('global values accept the keys of a parent chart, and are not required', () => {
    const schema = buildValuesSchema([{ path: ['global', 'imageRegistry'], schema: { type: 'string' }, defaultValue: '' }, ...service('orders')]);
    expect(schema.properties.global.additionalProperties).toBe(true);
    expect(schema.properties.global.required).toEqual([]);
    expect(schema.required).toEqual(['orders']);
  });

  test('nothing repeated, no definitions', () => {
    const schema = buildValuesSchema(service('orders'));
    expect(schema.definitions).toBeUndefined();
    expect(schema).toEqual(unshared(service('orders')));
  });

  test('the same declarations give the same text', () => {
    expect(JSON.stringify(buildValuesSchema(declarations))).toBe(JSON.stringify(buildValuesSchema([...declarations])));
  });

  test('a declared default read from an object does not change the schema', () => {
    const from = { apiObject: {} as ApiObject, pointer: '/spec/replicas' };
    const withFrom = declarations.map((d) => ({ ...d, defaultValue: undefined, defaultFrom: from }));
    expect(JSON.stringify(buildValuesSchema(withFrom))).toBe(JSON.stringify(buildValuesSchema(declarations)));
  });
});
