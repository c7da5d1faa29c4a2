import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { GantryErrors } from '../../src';
import { GantryError } from '../../src/core/errors';

class Widget extends Construct {}

describe('GantryError', () => {
  const scope = () => new Widget(Testing.chart(), 'orders');

  test('says what is wrong, the value received and the fix, naming the construct by class and path', () => {
    const error = GantryError.of(scope(), 'replicas', 0, 'must be a whole number from 1 to 10', 'use 2');
    expect(error.message).toBe("Widget 'test/orders': 'replicas' (0) must be a whole number from 1 to 10; use 2");
    expect(error.constructPath).toBe('test/orders');
    expect(error.property).toBe('replicas');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(GantryError);
  });

  test.each([
    ['a string as given', 'ghcr.io/acme/orders:latest', 'ghcr.io/acme/orders:latest'],
    ['an empty string as ""', '', '""'],
    ['undefined', undefined, 'undefined'],
    ['an object as JSON', { a: 1 }, '{"a":1}'],
    ['a value with its own toString', { toString: (): string => '25%' }, '25%'],
  ])('shows %s', (_what, value, shown) => {
    expect(GantryError.format(scope(), 'p', value, 'is wrong', 'fix it')).toBe(`Widget 'test/orders': 'p' (${shown}) is wrong; fix it`);
  });

  test('is recognized from any copy of the library, by name', () => {
    expect(GantryErrors.isGantryError(GantryError.of(scope(), 'p', 1, 'is wrong', 'fix it'))).toBe(true);
    const fromAnotherCopy = Object.assign(new Error('x'), { name: 'GantryError' });
    expect(GantryErrors.isGantryError(fromAnotherCopy)).toBe(true);
    expect(GantryErrors.isGantryError(new Error('x'))).toBe(false);
    expect(GantryErrors.isGantryError(undefined)).toBe(false);
  });
});
