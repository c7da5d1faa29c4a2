import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { cpuMillis, QUANTITY, sizeQuantity } from '../../src/core/quantity';

const KIB_PER_UNIT: { [suffix: string]: number } = { Ki: 1, Mi: 1024, Gi: 1024 * 1024 };

describe('sizeQuantity', () => {
  test.each([
    ['whole gibibytes in Gi', Size.gibibytes(1), '1Gi'],
    ['whole mebibytes in Mi', Size.mebibytes(512), '512Mi'],
    ['1.5Gi, not a whole Gi, in Mi', Size.gibibytes(1.5), '1536Mi'],
    ['1024Mi, a whole Gi, in Gi', Size.mebibytes(1024), '1Gi'],
    ['half a mebibyte in Ki', Size.mebibytes(0.5), '512Ki'],
    ['1.5Mi, not a whole Mi, in Ki', Size.kibibytes(1536), '1536Ki'],
  ])('writes %s', (_what, size, expected) => {
    const quantity = sizeQuantity(size);
    expect(quantity).toBe(expected);
    // The quantity is well formed, a whole number, and stands for exactly the same amount.
    expect(quantity).toMatch(QUANTITY);
    const [, amount, unit] = /^(\d+)(Ki|Mi|Gi)$/.exec(quantity)!;
    expect(Number(amount) * KIB_PER_UNIT[unit]).toBe(size.toKibibytes());
  });
});

describe('cpuMillis', () => {
  test.each([
    ['millicores', Cpu.millis(250), 250],
    ['whole cores', Cpu.units(2), 2000],
    ['a fraction of a core', Cpu.units(0.5), 500],
  ])('counts %s', (_what, cpu, millis) => {
    expect(cpuMillis(cpu)).toBe(millis);
  });

  test('the same amount compares equal whichever way it is written', () => {
    expect(cpuMillis(Cpu.units(1.5))).toBe(cpuMillis(Cpu.millis(1500)));
  });
});

// The grammar of apimachinery's resource.Quantity: a signed decimal number, then a binary suffix (Ki..Ei), a decimal
// suffix (n, u, m, k, M..E) or an exponent (e3, E-2).
describe('QUANTITY', () => {
  test.each(['100', '0', '1.5k', '250m', '1Gi', '512Mi', '1Ei', '10n', '500u', '1e3', '1E-2', '+1', '-1', '.5', '5.'])('accepts %s', (q) => {
    expect(q).toMatch(QUANTITY);
  });

  test.each([
    ['an empty string', ''],
    ['a word', 'fifty'],
    ['a suffix without a number', 'Gi'],
    ['an upper-case K (Kubernetes\' kilo is k)', '1K'],
    ['a lower-case binary suffix', '1ki'],
    ['a space before the suffix', '1 Gi'],
    ['a trailing space', '1Gi '],
    ['two decimal points', '1.5.2'],
    ['two suffixes', '1Gim'],
  ])('rejects %s', (_what, q) => {
    expect(q).not.toMatch(QUANTITY);
  });
});
