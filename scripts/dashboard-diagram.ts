/**
 * Draws the layout of the dashboard a PrometheusMonitor emits, as an SVG for the README: rows, panels and what each
 * panel plots. `npx ts-node --swc scripts/dashboard-diagram.ts` rewrites docs/dashboard.svg; a test checks that the
 * committed file matches the dashboard the code makes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { GoMicroservice } from '../src';

/** The dashboard model of a sample service, as PrometheusMonitor writes it into its ConfigMap. */
export function sampleDashboard(): any {
  const chart = new Chart(Testing.app(), 'docs', { namespace: 'shop' });
  const svc = new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme-shop/orders:1.8.2', autoscaling: { maxReplicas: 10 } });
  const monitor = svc.addMonitoring();
  return JSON.parse(monitor.dashboard!.toJson().data['orders.json']);
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The SVG: Grafana's 24-column grid, 40 px a column, 24 px a grid row. */
export function renderDashboardSvg(model: any): string {
  const col = 40;
  const row = 24;
  const bottom = Math.max(...model.panels.map((p: any) => p.gridPos.y + p.gridPos.h));
  const width = 24 * col;
  const height = (bottom + 2) * row;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#111217"/>`,
    `<text x="12" y="30" fill="#ccccdc" font-size="18" font-weight="bold">${escape(model.title)} · Gantry Go service dashboard</text>`,
  ];
  for (const p of model.panels) {
    const x = p.gridPos.x * col + 6;
    const y = (p.gridPos.y + 2) * row;
    const w = p.gridPos.w * col - 12;
    if (p.type === 'row') {
      out.push(`<text x="${x}" y="${y + 16}" fill="#6e9fff" font-size="15" font-weight="bold">${escape(p.title)}</text>`);
      continue;
    }
    const h = p.gridPos.h * row - 12;
    out.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="4" fill="#181b1f" stroke="#2c3235"/>`);
    out.push(`<text x="${x + 10}" y="${y + 22}" fill="#ccccdc" font-size="14" font-weight="bold">${escape(p.title)}</text>`);
    out.push(`<text x="${x + 10}" y="${y + 42}" fill="#8e8e8e" font-size="11">${escape(p.description)}</text>`);
    // A stylized series per query, so the picture reads as a time series panel.
    p.targets.forEach((t: any, i: number) => {
      const base = y + h - 30 - i * 18;
      const points = Array.from({ length: 12 }, (_, k) => `${x + 12 + k * ((w - 24) / 11)},${base - ((k * 7 + i * 13) % 23)}`).join(' ');
      out.push(`<polyline points="${points}" fill="none" stroke="${['#73bf69', '#f2cc0c', '#ff7383'][i % 3]}" stroke-width="2"/>`);
      out.push(`<text x="${x + w - 12}" y="${base + 14}" fill="#8e8e8e" font-size="10" text-anchor="end">${escape(t.legendFormat)}</text>`);
    });
    out.push(`<text x="${x + 10}" y="${y + h - 8}" fill="#5a5a5a" font-size="10">unit: ${escape(p.fieldConfig.defaults.unit)}</text>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

if (require.main === module) {
  const file = path.join(__dirname, '..', 'docs', 'dashboard.svg');
  fs.writeFileSync(file, renderDashboardSvg(sampleDashboard()));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
