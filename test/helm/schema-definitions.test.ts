import { shareDefinitions } from '../../src/helm/schema-definitions';

/** The schema with every `$ref` replaced by its definition, and `definitions` dropped: what the references stand for. */
function inline(schema: any): any {
  const definitions = schema.definitions ?? {};
  const walk = (s: any): any => {
    if (Array.isArray(s)) return s.map(walk);
    if (s === null || typeof s !== 'object') return s;
    if (s.$ref !== undefined) {
      expect(Object.keys(s)).toEqual(['$ref']);
      const name = /^#\/definitions\/(.+)$/.exec(s.$ref)![1];
      expect(definitions[name]).toBeDefined();
      return walk(definitions[name]);
    }
    return Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'definitions').map(([k, v]) => [k, walk(v)]));
  };
  return walk(schema);
}

const quantity = { anyOf: [{ type: 'string', pattern: '^[0-9]+(Mi|Gi)?$' }, { type: 'integer', minimum: 0 }], description: 'Bytes' };
const resources = () => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    requests: { type: 'object', properties: { memory: { ...quantity } }, additionalProperties: { ...quantity } },
    limits: { type: 'object', properties: { memory: { ...quantity } }, additionalProperties: { ...quantity } },
  },
});
const image = () => ({ type: 'object', required: ['tag'], properties: { tag: { type: 'string', not: { const: 'latest' }, description: 'Image tag' } } });
const service = (extra: any = {}) => ({
  type: 'object',
  additionalProperties: false,
  required: ['enabled', 'image', 'resources'],
  properties: { enabled: { type: 'boolean' }, image: image(), resources: resources(), ...extra },
});

/** Three services: two alike, one with a `monitoring.enabled` whose description differs from `enabled`'s. */
function chartSchema(): any {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    required: ['orders', 'payments', 'search'],
    properties: {
      orders: service(),
      payments: service(),
      search: service({ monitoring: { type: 'object', properties: { enabled: { type: 'boolean', description: 'Render the monitoring objects of the service' } } } }),
    },
  };
}

describe('shareDefinitions', () => {
  test('the references stand for exactly the schema given', () => {
    const shared = shareDefinitions(chartSchema());
    expect(inline(shared)).toEqual(chartSchema());
  });

  test('repeated subschemas are written once, named after the property they describe; services stay in place', () => {
    const shared = shareDefinitions(chartSchema());
    expect(Object.keys(shared.definitions)).toEqual(['image', 'memory', 'requests', 'resources']);
    expect(shared.properties.orders.properties).toEqual({
      enabled: { type: 'boolean' }, // too short to be worth a reference
      image: { $ref: '#/definitions/image' },
      resources: { $ref: '#/definitions/resources' },
    });
    // Alike services are not merged into one definition: a reader finds each service's keys under its own name.
    expect(shared.properties.payments.type).toBe('object');
    expect(shared.properties.search.properties.monitoring).toEqual(chartSchema().properties.search.properties.monitoring);
    // Limits share the requests' definition, which shares the quantity's.
    expect(shared.definitions.resources.properties).toEqual({ requests: { $ref: '#/definitions/requests' }, limits: { $ref: '#/definitions/requests' } });
    expect(shared.definitions.requests.additionalProperties).toEqual({ $ref: '#/definitions/memory' });
  });

  test('two different subschemas under one property name get the qualified name', () => {
    const enabled = (description: string) => ({ type: 'boolean', description });
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'object', properties: { hpa: { type: 'object', properties: { enabled: enabled('Scale the service with a HorizontalPodAutoscaler') } } } },
        b: { type: 'object', properties: { hpa: { type: 'object', properties: { enabled: enabled('Scale the service with a HorizontalPodAutoscaler') } } } },
        c: { type: 'object', properties: { pdb: { type: 'object', properties: { enabled: enabled('Protect the service with a PodDisruptionBudget here') } } } },
        d: { type: 'object', properties: { pdb: { type: 'object', properties: { enabled: enabled('Protect the service with a PodDisruptionBudget here') } } } },
      },
    };
    const shared = shareDefinitions(schema);
    expect(Object.keys(shared.definitions)).toEqual(['enabled', 'hpa', 'pdb-enabled', 'pdb']);
    expect(inline(shared)).toEqual(schema);
  });

  test('a schema with nothing repeated is returned as it is, without definitions', () => {
    const schema = { type: 'object', properties: { orders: { type: 'object', properties: { image: image(), replicas: { type: 'integer', minimum: 1, description: 'Pods when the service is not autoscaled' } } } } };
    expect(shareDefinitions(schema)).toEqual(schema);
  });

  test('the same schema gives the same text', () => {
    expect(JSON.stringify(shareDefinitions(chartSchema()))).toBe(JSON.stringify(shareDefinitions(chartSchema())));
  });
});
