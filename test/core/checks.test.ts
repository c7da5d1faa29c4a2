import { Duration, Testing } from 'cdk8s';
import {
  checkDns1035, checkEnvName, checkInt, checkLabelValue, checkNamespace, checkPort, checkSeconds,
} from '../../src/core/checks';

// The checks take the construct whose input is wrong; a bare chart (path 'test') keeps the messages short.
const scope = () => Testing.chart();

/** The GantryError that `check` throws (recognized by name, as `GantryErrors.isGantryError` does). */
function errorOf(check: () => unknown): any {
  try {
    check();
  } catch (e: any) {
    if (e?.name === 'GantryError') return e;
    throw e;
  }
  throw new Error('expected a GantryError, but the check passed');
}

describe('checkDns1035', () => {
  test.each([
    ['a single letter', 'a'],
    ['letters, digits and inner dashes', 'orders-v2'],
    ['63 characters, the longest label', 'a'.repeat(63)],
  ])('accepts %s', (_what, name) => {
    expect(() => checkDns1035(scope(), 'name', name)).not.toThrow();
  });

  test('the error carries the construct\'s path and the property', () => {
    const error = errorOf(() => checkDns1035(scope(), 'name', 'Orders'));
    expect(error.constructPath).toBe('test');
    expect(error.property).toBe('name');
  });

  test('a shorter maximum is enforced and shown', () => {
    expect(() => checkDns1035(scope(), 'name', 'a'.repeat(40), 40)).not.toThrow();
    expect(errorOf(() => checkDns1035(scope(), 'name', 'a'.repeat(41), 40)).message).toBe(
      `Chart 'test': 'name' (${'a'.repeat(41)}) is not a valid Kubernetes name (lowercase letters, digits and '-', starting with a letter, at most 40 characters); use a name such as '${'a'.repeat(40)}'`);
  });

  // Each suggestion is itself a valid DNS-1035 label: lowercased, other characters turned into '-', no leading digit or
  // dash, no trailing dash, cut to the maximum.
  test.each([
    ['the name has capitals and underscores', 'Orders_Service', 'orders-service'],
    ['the name starts with a digit', '2orders', 'orders'],
    ['the name ends with a dash', 'orders-', 'orders'],
    ['the name has only digits', '123', 'my-service'],
    ['the name is empty', '', 'my-service'],
  ])('fails when %s', (_what, name, suggestion) => {
    const shown = name === '' ? '""' : name;
    expect(errorOf(() => checkDns1035(scope(), 'name', name)).message).toBe(
      `Chart 'test': 'name' (${shown}) is not a valid Kubernetes name (lowercase letters, digits and '-', starting with a letter, at most 63 characters); use a name such as '${suggestion}'`);
    expect(() => checkDns1035(scope(), 'name', suggestion)).not.toThrow();
  });

  test('fails when the name is too long, suggesting one cut to the limit without a trailing dash', () => {
    // Cut at 63 characters, this name would end with the dash at position 63; the suggestion drops it too.
    const name = `${'a'.repeat(62)}-${'b'.repeat(10)}`;
    expect(errorOf(() => checkDns1035(scope(), 'name', name)).message).toBe(
      `Chart 'test': 'name' (${name}) is not a valid Kubernetes name (lowercase letters, digits and '-', starting with a letter, at most 63 characters); use a name such as '${'a'.repeat(62)}'`);
  });
});

describe('checkNamespace', () => {
  test.each([
    ['a name with a dash', 'team-dev'],
    ['a name starting with a digit (DNS-1123 allows it, unlike DNS-1035)', '1team'],
    ['63 characters', 'a'.repeat(63)],
  ])('accepts %s', (_what, namespace) => {
    expect(() => checkNamespace(scope(), 'namespace', namespace)).not.toThrow();
  });

  test.each([
    ['the namespace has capitals', 'Shop', 'shop'],
    ['the namespace has an underscore', 'team_dev', 'team-dev'],
    ['the namespace starts with a dash', '-shop', 'shop'],
    ['the namespace is longer than 63 characters', 'a'.repeat(64), 'a'.repeat(63)],
  ])('fails when %s', (_what, namespace, suggestion) => {
    expect(errorOf(() => checkNamespace(scope(), 'namespace', namespace)).message).toBe(
      `Chart 'test': 'namespace' (${namespace}) is not a valid namespace name (lowercase letters, digits and '-', at most 63 characters); use a name such as '${suggestion}'`);
  });
});

describe('checkLabelValue', () => {
  test.each([
    ['an empty value (Kubernetes allows it)', ''],
    ['a version', 'v1.4.2'],
    ['letters, digits, \'-\', \'_\' and \'.\' inside', 'Team_A-1.x'],
    ['63 characters', 'a'.repeat(63)],
  ])('accepts %s', (_what, value) => {
    expect(() => checkLabelValue(scope(), 'labels.team', value)).not.toThrow();
  });

  test.each([
    ['the value is longer than 63 characters', 'a'.repeat(64)],
    ['the value starts with a dash', '-a'],
    ['the value ends with a dot', 'a.'],
    ['the value has a slash', 'team/a'],
    ['the value has a space', 'team a'],
  ])('fails when %s', (_what, value) => {
    expect(errorOf(() => checkLabelValue(scope(), 'labels.team', value)).message).toBe(
      `Chart 'test': 'labels.team' (${value}) is not a valid label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit); shorten it or replace the other characters`);
  });
});

describe('checkEnvName', () => {
  test.each(['LOG_LEVEL', 'log_level', '_PRIVATE', 'A1'])('accepts %s', (name) => {
    expect(() => checkEnvName(scope(), `env.${name}`, name)).not.toThrow();
  });

  // The suggestion is the upper-cased name with every other character turned into '_', and '_' before a leading digit.
  test.each([
    ['the name has a dash', 'log-level', 'LOG_LEVEL'],
    ['the name has a dot', 'db.host', 'DB_HOST'],
    ['the name starts with a digit', '1PASSWORD', '_1PASSWORD'],
  ])('fails when %s', (_what, name, suggestion) => {
    expect(errorOf(() => checkEnvName(scope(), `env.${name}`, name)).message).toBe(
      `Chart 'test': 'env.${name}' (${name}) is not a valid environment variable name (letters, digits and '_', not starting with a digit); use a name such as '${suggestion}'`);
    expect(() => checkEnvName(scope(), 'env', suggestion)).not.toThrow();
  });
});

describe('checkInt', () => {
  test('accepts both bounds', () => {
    expect(() => checkInt(scope(), 'replicas', 1, 1, 10)).not.toThrow();
    expect(() => checkInt(scope(), 'replicas', 10, 1, 10)).not.toThrow();
  });

  test.each([
    ['the value is below the minimum', 0],
    ['the value is above the maximum', 11],
    ['the value is a fraction', 2.5],
  ])('fails when %s', (_what, value) => {
    expect(errorOf(() => checkInt(scope(), 'replicas', value, 1, 10)).message).toBe(
      `Chart 'test': 'replicas' (${value}) must be a whole number from 1 to 10; use a value from 1 to 10`);
  });

  test('fails with the caller\'s fix when one is given', () => {
    expect(errorOf(() => checkInt(scope(), 'replicas', 0, 1, 10, 'use 2 or more')).message).toBe(
      "Chart 'test': 'replicas' (0) must be a whole number from 1 to 10; use 2 or more");
  });
});

describe('checkPort', () => {
  test('accepts 1 and 65535', () => {
    expect(() => checkPort(scope(), 'httpPort', 1)).not.toThrow();
    expect(() => checkPort(scope(), 'httpPort', 65535)).not.toThrow();
  });

  test.each([0, 65536, 8080.5])('fails when the port is %s', (port) => {
    expect(errorOf(() => checkPort(scope(), 'httpPort', port)).message).toBe(
      `Chart 'test': 'httpPort' (${port}) must be a whole number from 1 to 65535; use a port from 1 to 65535, such as 8080`);
  });
});

describe('checkSeconds', () => {
  test('returns the whole seconds, whatever unit the Duration was made in', () => {
    expect(checkSeconds(scope(), 'period', Duration.minutes(2), 1, 600)).toBe(120);
    expect(checkSeconds(scope(), 'period', Duration.millis(3000), 1, 600)).toBe(3);
  });

  test('accepts both bounds', () => {
    expect(checkSeconds(scope(), 'window', Duration.seconds(0), 0, 3600)).toBe(0);
    expect(checkSeconds(scope(), 'window', Duration.hours(1), 0, 3600)).toBe(3600);
  });

  // The suggestion is the value rounded to whole seconds, then brought within the bounds.
  test.each([
    ['the duration is a fraction of a second', Duration.millis(1500), '1.5s', 2],
    ['the duration is below the minimum', Duration.seconds(0), '0s', 1],
    ['the duration is above the maximum', Duration.hours(1), '3600s', 600],
  ])('fails when %s', (_what, duration, shown, suggestion) => {
    expect(errorOf(() => checkSeconds(scope(), 'period', duration, 1, 600)).message).toBe(
      `Chart 'test': 'period' (${shown}) must be a whole number of seconds from 1 to 600; use a value such as Duration.seconds(${suggestion})`);
  });
});
