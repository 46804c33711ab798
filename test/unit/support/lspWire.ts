/**
 * An editor's end of an LSP stdio connection, written out by hand: `Content-Length` headers over a
 * child process's stdin/stdout, as Neovim, Helix or Zed frame them. No LSP library on this side, so
 * the test sees the bytes the server really writes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface Message {
  id?: number | string;
  method?: string;
  params?: any;
  result?: any;
  error?: { code: number; message: string };
}

export class LspWire {
  readonly notifications: Message[] = [];
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (m: Message) => void>();
  private readonly waiters: Array<{ accept: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  readonly exited: Promise<number | null>;
  stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts `command args…` with piped stdio, as an editor starts a language server. */
  static start(command: string, args: string[], cwd: string): LspWire {
    return new LspWire(spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  request(method: string, params: unknown): Promise<Message> {
    const id = this.nextId++;
    const answered = new Promise<Message>((resolve) => this.pending.set(id, resolve));
    this.write({ jsonrpc: '2.0', id, method, params });
    return answered;
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** The first notification, already received or still to come, that `accept` takes. */
  notification(accept: (m: Message) => boolean): Promise<Message> {
    const seen = this.notifications.find(accept);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ accept, resolve }));
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  private write(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = /Content-Length: (\d+)/i.exec(header);
      if (!length) throw new Error(`a frame without Content-Length: ${JSON.stringify(header)}`);
      const start = headerEnd + 4;
      const end = start + Number(length[1]);
      if (this.buffer.length < end) return;
      const message = JSON.parse(this.buffer.subarray(start, end).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(end);
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method === undefined) {
      this.pending.get(message.id as number)?.(message);
      this.pending.delete(message.id as number);
    } else if (message.id !== undefined) {
      // A request from the server (registrations, configuration): an editor that has nothing to add answers null.
      this.write({ jsonrpc: '2.0', id: message.id, result: null });
    } else {
      this.notifications.push(message);
      for (const w of [...this.waiters]) {
        if (w.accept(message)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(message);
        }
      }
    }
  }
}
