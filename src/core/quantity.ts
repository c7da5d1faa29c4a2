import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';

/** A Size as a Kubernetes quantity in the largest binary unit that keeps it whole (`512Mi`, `1Gi`). */
export function sizeQuantity(size: Size): string {
  const ki = size.toKibibytes();
  if (ki % (1024 * 1024) === 0) return `${ki / (1024 * 1024)}Gi`;
  if (ki % 1024 === 0) return `${ki / 1024}Mi`;
  return `${ki}Ki`;
}

/** A CPU amount in millicores, for comparisons. */
export function cpuMillis(cpu: Cpu): number {
  const a = cpu.amount;
  return a.endsWith('m') ? Number(a.slice(0, -1)) : Number(a) * 1000;
}

/** A Kubernetes quantity (`100`, `1.5k`, `250m`, `1Gi`). */
export const QUANTITY = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$/;
