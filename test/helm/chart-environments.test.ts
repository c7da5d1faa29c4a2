import { withSwitchesOff } from '../../src/helm/chart-environments';

// The evaluation that compares an environment with the chart: a piece of template text as Helm renders it with some
// structural switches off.

const OFF = ['.Values.inventory.circuitBreaker.enabled'];

describe('withSwitchesOff', () => {
  test('drops a piece whose condition needs a switch that is off, alone or with others', () => {
    expect(withSwitchesOff('{{- if .Values.inventory.circuitBreaker.enabled }}\n---\nkind: DestinationRule\n{{- end }}\n', OFF)).toBeUndefined();
    const guarded = '{{- if and (.Values.inventory.enabled) (.Values.inventory.circuitBreaker.enabled) }}\n---\nkind: DestinationRule\n{{- end }}\n';
    expect(withSwitchesOff(guarded, OFF)).toBeUndefined();
  });

  test('keeps a piece whose condition names another value, even one that starts like the switch', () => {
    const piece = '{{- if .Values.inventory.circuitBreaker.enabledForTests }}\n---\nkind: Service\n{{- end }}\n';
    expect(withSwitchesOff(piece, OFF)).toBe(piece);
  });

  test('removes the blocks the switch guards, and keeps its else branch and every other action', () => {
    const piece = [
      '---',
      'spec:',
      '  ingress:',
      '    {{- if .Values.inventory.circuitBreaker.enabled }}',
      '    - ports:',
      '        {{- with .Values.extra }}',
      '        - port: 15090',
      '        {{- end }}',
      '    {{- else }}',
      '    - ports: []',
      '    {{- end }}',
      '    {{- with .Values.inventory.extraIngress }}',
      '    {{- toYaml . | nindent 4 }}',
      '    {{- end }}',
      '',
    ].join('\n');
    expect(withSwitchesOff(piece, OFF)).toBe([
      '---',
      'spec:',
      '  ingress:',
      '    - ports: []',
      '    {{- with .Values.inventory.extraIngress }}',
      '    {{- toYaml . | nindent 4 }}',
      '    {{- end }}',
      '',
    ].join('\n'));
  });

  test('changes nothing when no switch is off', () => {
    const piece = '{{- if .Values.inventory.circuitBreaker.enabled }}\n---\nkind: DestinationRule\n{{- end }}\n';
    expect(withSwitchesOff(piece, [])).toBe(piece);
  });
});
