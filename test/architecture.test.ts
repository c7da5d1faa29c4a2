import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// The layers of src/, bottom up (docs/architecture.md). A folder imports only from folders below it; folders on the
// same rank do not import each other; files never import in a cycle. `src/index.ts` re-exports every layer.
const LAYERS: string[][] = [
  ['core'],
  ['environment'],
  ['helm'],
  ['autoscaling', 'network', 'monitoring'],
  ['workload'],
  ['delivery', 'gitops'],
  ['mesh'],
  ['app'],
  ['terraform'],
];
const MAX_LINES = 400;
const SRC = path.join(__dirname, '..', 'src');

/** Every .ts file under src/, relative to it, with the src/ files it imports (found by TypeScript's own scanner). */
function importGraph(): Map<string, string[]> {
  const files = (fs.readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => f.split(path.sep).join('/'));
  const graph = new Map<string, string[]>();
  for (const file of files.sort()) {
    const text = fs.readFileSync(path.join(SRC, file), 'utf8');
    const imports = ts.preProcessFile(text, true, true).importedFiles.map((i) => i.fileName).filter((m) => m.startsWith('.'));
    graph.set(file, imports.map((m) => {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m));
      return files.includes(`${target}.ts`) ? `${target}.ts` : `${target}/index.ts`;
    }));
  }
  return graph;
}

function folderOf(file: string): string {
  return file.includes('/') ? file.split('/')[0] : '';
}

function rankOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

/** The import cycles of `graph`, each as the list of files around it (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('architecture', () => {
  const graph = importGraph();

  test('every folder of src/ has a layer', () => {
    const folders = new Set([...graph.keys()].map(folderOf).filter((f) => f !== ''));
    expect([...folders].filter((f) => rankOf(f) < 0)).toEqual([]);
  });

  test('only the package index lives at the top of src/', () => {
    expect([...graph.keys()].filter((f) => folderOf(f) === '')).toEqual(['index.ts']);
  });

  test('no file imports from its own layer\'s siblings or from a layer above', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      const from = folderOf(file);
      if (from === '') continue;
      for (const target of imports) {
        const to = folderOf(target);
        if (to !== from && rankOf(to) >= rankOf(from)) upward.push(`${file} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  test('no import cycle between files', () => {
    expect(cycles(graph)).toEqual([]);
  });

  test(`no source file is longer than ${MAX_LINES} lines`, () => {
    const long = [...graph.keys()]
      .map((f) => ({ f, lines: fs.readFileSync(path.join(SRC, f), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  describe('the checks themselves', () => {
    test('find a cycle', () => {
      const g = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
      expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    });

    test('find no cycle in a chain', () => {
      expect(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', []]]))).toEqual([]);
    });

    test('see the imports of a real file', () => {
      expect(graph.get('index.ts')).toContain('core/errors.ts');
    });
  });
});
