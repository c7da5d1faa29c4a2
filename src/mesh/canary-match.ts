/**
 * Requests an IstioCanary sends to the canary whatever the weights say, so that testers can reach it on purpose.
 *
 * @example
 * CanaryMatch.header('x-canary', 'always')
 * CanaryMatch.cookie('canary', 'yes')
 */
export class CanaryMatch {
  /** Requests with the header `name` set to exactly `value` (names are matched in lowercase, as HTTP/2 sends them). */
  public static header(name: string, value: string): CanaryMatch {
    return new CanaryMatch('header', name, value);
  }

  /** Requests that carry the cookie `name=value`. */
  public static cookie(name: string, value: string): CanaryMatch {
    return new CanaryMatch('cookie', name, value);
  }

  private constructor(
    /** `header` or `cookie`. */
    public readonly kind: string,
    /** The header or cookie name. */
    public readonly name: string,
    /** The value it must have. */
    public readonly value: string,
  ) {}

  /**
   * The `HTTPMatchRequest`.
   * @internal
   */
  public _toIstio(): any {
    if (this.kind === 'header') return { headers: { [this.name.toLowerCase()]: { exact: this.value } } };
    // Istio matches cookies through the Cookie header; this pattern finds the pair among the others.
    return { headers: { cookie: { regex: `^(.*?;\\s*)?(${escapeRegex(this.name)}=${escapeRegex(this.value)})(;.*)?$` } } };
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
