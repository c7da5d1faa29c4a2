import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';

// Writes the files of an export on a thread of its own while the export goes on rendering.
//
// Why a thread: on an ext4 disk in ordered mode, creating a file waits for the journal, which waits for the data
// written before it to reach the disk. Measured on the benchmark machine, creating the 1,000 template files of a
// 1,000-service chart took 0.4 to 0.8 s of a 2 s export, with the process doing nothing else meanwhile. Here the
// waiting happens on the writer's thread, beside the rendering. Node has no synchronous API for this, and no package
// does it for a synchronous caller, so it is written here: a worker thread, and `Atomics.wait` to join it.

/** The worker's code: plain JavaScript, so that it runs the same from `lib/` and under ts-node. */
const WORKER = `
const fs = require('fs');
const path = require('path');
const { parentPort, workerData } = require('worker_threads');
const { done, replies } = workerData;
const fds = new Map();
let error;
function finish() {
  for (const fd of fds.values()) {
    try { fs.closeSync(fd); } catch (e) { error = error || { message: e.message }; }
  }
  fds.clear();
  replies.postMessage({ error });
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}
parentPort.on('message', (m) => {
  if (m === null) return finish();
  if (error) return;
  try {
    let fd = fds.get(m.file);
    if (fd === undefined) {
      fs.mkdirSync(path.dirname(m.file), { recursive: true });
      fd = fs.openSync(m.file, 'w');
      fds.set(m.file, fd);
    }
    fs.writeSync(fd, m.text);
  } catch (e) {
    error = { message: e.message };
  }
});
`;

/** The most text held before it is sent to the writer. */
const BATCH_LENGTH = 256 * 1024;

/** How long `close()` waits for the writer before it gives up: far more than writing any chart takes. */
const WAIT_MS = 10 * 60 * 1000;

/**
 * Appends text to files on a background thread. `write` returns at once; `close` waits until every write is done (or
 * failed) and throws the first failure. Files are created (truncated) by their first write.
 */
export class BackgroundFileWriter {
  private readonly worker: Worker;
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private readonly replies: MessagePort;
  private closed = false;
  private pendingFile?: string;
  private pending = '';

  constructor() {
    const channel = new MessageChannel();
    this.replies = channel.port1;
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { done: this.done, replies: channel.port2 },
      transferList: [channel.port2],
    });
    // Never what keeps the process alive: a caller that throws before `close` still exits.
    this.worker.unref();
  }

  /** Appends `text` to `file`, creating it and its directory on the first write. */
  public write(file: string, text: string): void {
    if (this.closed) throw new Error('BackgroundFileWriter: write after close');
    // Consecutive writes to one file go as one message: a message costs about as much as copying 10 KB of text.
    if (file !== this.pendingFile || this.pending.length >= BATCH_LENGTH) this.flush();
    this.pendingFile = file;
    this.pending += text;
  }

  private flush(): void {
    if (this.pendingFile !== undefined && this.pending !== '') this.worker.postMessage({ file: path.resolve(this.pendingFile), text: this.pending });
    this.pendingFile = undefined;
    this.pending = '';
  }

  /** Waits for every write, closes the files and the thread; throws the first write that failed. */
  public close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.worker.postMessage(null);
    const waited = Atomics.wait(this.done, 0, 0, WAIT_MS);
    const reply = receiveMessageOnPort(this.replies)?.message as { error?: { message: string } } | undefined;
    void this.worker.terminate();
    this.replies.close();
    if (waited === 'timed-out' || reply === undefined) throw new Error(`writing the files did not finish within ${WAIT_MS / 1000} s`);
    if (reply.error !== undefined) throw new Error(reply.error.message);
  }
}
