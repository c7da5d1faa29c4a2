import * as jsyaml from 'js-yaml';
import { YamlEmitter } from './yaml-emitter';

// Serializes manifests as YAML. js-yaml rather than the `yaml` package cdk8s uses: it is four times faster on
// manifests, the single largest cost of synthesizing many services.
//
// Whoever reads the files reads YAML 1.1: Kubernetes (sigs.k8s.io/yaml), Helm and Argo CD all parse with go-yaml, which
// takes `1_000`, `+.5`, `0o17` or `0x_1F` for numbers. js-yaml writes YAML 1.2 and would leave such strings unquoted,
// so a string value (an environment variable, an annotation) would arrive as a number, or be refused. The dump schema
// below knows those forms too, so js-yaml quotes every string go-yaml would not read back as a string. (js-yaml's own
// schema already quotes the YAML 1.1 booleans `y`, `n`, `on`, `off`, nulls and timestamps.)

/** go-yaml v2's integer and float forms (resolve.go): a sign, digit or dot first, underscores ignored. */
const YAML11_INT = /^[-+]?(0b[01]+|0o?[0-7]+|0x[0-9a-fA-F]+|[0-9]+)$/;
const YAML11_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

const YAML11_NUMBER = new jsyaml.Type('tag:gantry.dev,2026:yaml11-number', {
  kind: 'scalar',
  resolve: (s: string | null) => {
    if (s === null || !/^[-+.0-9]/.test(s)) return false;
    const plain = s.replace(/_/g, '');
    return YAML11_INT.test(plain) || YAML11_FLOAT.test(plain);
  },
  construct: (s: string) => s,
});

/** The schema manifests are written with: js-yaml's default, plus the YAML 1.1 number forms above. */
export const DUMP_SCHEMA = jsyaml.DEFAULT_SCHEMA.extend({ implicit: [YAML11_NUMBER] });

const emitter = new YamlEmitter(DUMP_SCHEMA);

/** Manifests as a YAML stream, one document per object. */
export function toYamlStream(docs: any[]): string {
  return docs.map(toYaml).join('---\n');
}

/** One manifest as a YAML document. */
export function toYaml(doc: any): string {
  return emitter.dump(doc);
}
