import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BackgroundFileWriter } from '../../src/core/file-writer';

describe('BackgroundFileWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-writer-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('appends each file\'s pieces in order, interleaved writes too, creating directories; all written when close returns', () => {
    const writer = new BackgroundFileWriter();
    const expected = new Map<string, string>();
    for (let i = 0; i < 300; i++) {
      // Pieces of three files, interleaved, one of them large enough to be sent in more than one message.
      const file = path.join(dir, ['a.yaml', 'b.yaml', 'tests/c.yaml'][i % 3]);
      const piece = `${i}:${'x'.repeat(i % 3 === 0 ? 5000 : 10)}\n`;
      writer.write(file, piece);
      expected.set(file, (expected.get(file) ?? '') + piece);
    }
    writer.close();
    for (const [file, text] of expected) expect(fs.readFileSync(file, 'utf8')).toBe(text);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml', 'tests']);
  });

  test('a file that cannot be written fails close, with the system\'s message', () => {
    fs.writeFileSync(path.join(dir, 'taken'), 'a file, not a directory');
    const writer = new BackgroundFileWriter();
    writer.write(path.join(dir, 'ok.yaml'), 'ok\n');
    writer.write(path.join(dir, 'taken', 'x.yaml'), 'never written\n');
    expect(() => writer.close()).toThrow(/EEXIST|ENOTDIR/);
    expect(fs.readFileSync(path.join(dir, 'ok.yaml'), 'utf8')).toBe('ok\n');
  });

  test('close is idempotent, and a write after it is refused', () => {
    const writer = new BackgroundFileWriter();
    writer.write(path.join(dir, 'a.yaml'), 'a\n');
    writer.close();
    expect(() => writer.close()).not.toThrow();
    expect(() => writer.write(path.join(dir, 'a.yaml'), 'b\n')).toThrow('write after close');
    expect(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe('a\n');
  });
});
