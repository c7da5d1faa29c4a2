import { ApiObject } from 'cdk8s';
import { isLabelKey, isLabelValue, LABEL_KEY_PROBLEM, LABEL_VALUE_PROBLEM } from './checks';
import { GantryError } from './errors';
import { renderJson } from './render';

// The metadata of every object as it is written, whoever set it: Gantry's props are checked where they enter, but
// labels and annotations also arrive through cdk8s's own API (`metadata.addLabel`, `addAnnotation`) and JSON patches.
// The API server refuses an object whose keys, values or annotation size break its rules
// (k8s.io/apimachinery/pkg/api/validation/objectmeta.go), and a GitOps sync then fails on it at apply time.

/** The API server's limit on all of an object's annotations together, keys and values, in bytes (TotalAnnotationSizeLimitB). */
export const MAX_ANNOTATION_BYTES = 256 * 1024;

/** The problems of `json`'s metadata (the rendered `o`), as messages in the library's style. */
export function metadataProblems(o: ApiObject, json: any): string[] {
  const problems: string[] = [];
  const labels = json?.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(labels)) {
    if (!isLabelKey(key)) problems.push(GantryError.format(o, `metadata.labels.${key}`, key, LABEL_KEY_PROBLEM, 'use a key such as \'example.com/team\''));
    if (typeof value !== 'string' || !isLabelValue(value)) {
      problems.push(GantryError.format(o, `metadata.labels.${key}`, value, LABEL_VALUE_PROBLEM, 'shorten it or replace the other characters'));
    }
  }
  const annotations = json?.metadata?.annotations ?? {};
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    if (!isLabelKey(key)) {
      problems.push(GantryError.format(o, `metadata.annotations.${key}`, key, LABEL_KEY_PROBLEM.replace('label key', 'annotation key'),
        'use a key such as \'example.com/owner\''));
    }
    bytes += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (bytes > MAX_ANNOTATION_BYTES) {
    const largest = Object.entries(annotations).sort(([, a], [, b]) => String(b).length - String(a).length)[0][0];
    problems.push(GantryError.format(o, 'metadata.annotations', `${bytes} bytes`,
      `are larger than the ${MAX_ANNOTATION_BYTES} bytes (256 KiB) Kubernetes allows for an object's annotations (the largest is '${largest}')`,
      'keep large data out of annotations: put it in a ConfigMap, or leave out kubectl\'s last-applied-configuration by applying server-side'));
  }
  return problems;
}

/**
 * The object rendered as `cdk8s synth` writes it, its metadata's problems added to `problems`: what every output
 * (YAML, Terraform) writes, checked the same way.
 */
export function renderChecked(o: ApiObject, problems: { path: string; message: string }[]): any {
  const json = renderJson(o);
  for (const message of metadataProblems(o, json)) problems.push({ path: o.node.path, message });
  return json;
}

/** One error for the problems of a whole synthesis, or undefined when there are none. */
export function problemsError(problems: { path: string; message: string }[]): GantryError | undefined {
  if (problems.length === 0) return undefined;
  const messages = problems.map((p) => p.message);
  return new GantryError(messages.length === 1 ? messages[0] : `${messages.length} errors:\n  ${messages.join('\n  ')}`, problems[0].path, 'metadata');
}
