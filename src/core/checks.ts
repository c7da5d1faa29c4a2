import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GantryError } from './errors';

// Small, shared input checks. Each throws a GantryError in the library's message style.

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name that Services accept: DNS-1035 label, at most `max` characters. */
export function checkDns1035(scope: IConstruct, property: string, value: string, max = 63): void {
  if (typeof value !== 'string' || !DNS_1035_LABEL.test(value) || value.length > max) {
    throw GantryError.of(scope, property, value,
      `is not a valid Kubernetes name (lowercase letters, digits and '-', starting with a letter, at most ${max} characters)`,
      `use a name such as '${suggestDnsName(value, max)}'`);
  }
}

/** A namespace name: DNS-1123 label. */
export function checkNamespace(scope: IConstruct, property: string, value: string): void {
  if (typeof value !== 'string' || !DNS_1123_LABEL.test(value) || value.length > 63) {
    throw GantryError.of(scope, property, value,
      'is not a valid namespace name (lowercase letters, digits and \'-\', at most 63 characters)',
      `use a name such as '${suggestDnsName(value, 63)}'`);
  }
}

/** A Kubernetes label key: an optional DNS-subdomain prefix and a name of at most 63 characters. */
export function checkLabelKey(scope: IConstruct, property: string, key: string): void {
  if (!isLabelKey(key)) throw GantryError.of(scope, property, key, LABEL_KEY_PROBLEM, 'use a key such as \'release\' or \'example.com/team\'');
}

/** A label value: at most 63 characters of letters, digits, '-', '_' and '.'. */
export function checkLabelValue(scope: IConstruct, property: string, value: string): void {
  if (!isLabelValue(value)) throw GantryError.of(scope, property, value, LABEL_VALUE_PROBLEM, 'shorten it or replace the other characters');
}

/** Whether `key` is a label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixOk = prefix === undefined || (prefix.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix));
  return prefixOk && /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(name);
}

/** Whether `value` is a label value. */
export function isLabelValue(value: string): boolean {
  return LABEL_VALUE.test(value) && value.length <= 63;
}

export const LABEL_KEY_PROBLEM = 'is not a valid label key (an optional DNS prefix and \'/\', then at most 63 letters, digits, \'-\', \'_\' or \'.\')';
export const LABEL_VALUE_PROBLEM = 'is not a valid label value (at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit)';

/** An environment variable name usable from a Go program (`os.Getenv`): a C identifier. */
export function checkEnvName(scope: IConstruct, property: string, value: string): void {
  if (!C_IDENTIFIER.test(value)) {
    throw GantryError.of(scope, property, value,
      'is not a valid environment variable name (letters, digits and \'_\', not starting with a digit)',
      `use a name such as '${value.toUpperCase().replace(/[^A-Z0-9_]/g, '_').replace(/^([0-9])/, '_$1')}'`);
  }
}

/** An integer within [min, max]. */
export function checkInt(scope: IConstruct, property: string, value: number, min: number, max: number, fix?: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw GantryError.of(scope, property, value,
      `must be a whole number from ${min} to ${max}`,
      fix ?? `use a value from ${min} to ${max}`);
  }
}

/** A replica count (or an HPA's fewest replicas): 1 to 10,000, and 2 or more recommended so that a pod can be evicted. */
export function checkReplicas(scope: IConstruct, property: string, value: number): void {
  checkInt(scope, property, value, 1, 10000, 'use 2 or more so that one pod can be evicted');
}

/** A TCP port number. */
export function checkPort(scope: IConstruct, property: string, value: number): void {
  checkInt(scope, property, value, 1, 65535, 'use a port from 1 to 65535, such as 8080');
}

function suggestDnsName(value: string, max: number): string {
  const s = String(value).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, max).replace(/-+$/, '');
  return s || 'my-service';
}

/** A Duration that is a whole number of seconds within [min, max]; returns the seconds. */
export function checkSeconds(scope: IConstruct, property: string, duration: Duration, min: number, max: number): number {
  const s = duration.toSeconds({ integral: false });
  if (!Number.isInteger(s) || s < min || s > max) {
    throw GantryError.of(scope, property, `${s}s`, `must be a whole number of seconds from ${min} to ${max}`,
      `use a value such as Duration.seconds(${Math.min(Math.max(Math.round(s), min), max)})`);
  }
  return s;
}
