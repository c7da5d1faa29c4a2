/**
 * Whole seconds as a Go duration (`time.ParseDuration`), the form Argo CD and Argo Rollouts write: `5m`, `90s`, `1h`.
 */
export function goDuration(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
