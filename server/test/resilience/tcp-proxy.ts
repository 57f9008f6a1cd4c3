import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server, to take that server away from one client only:
 * `cut` drops every connection and refuses new ones, `stall` keeps them open but holds the
 * answers back (a server that hangs), `restore` undoes either.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private readonly stalled = new Set<Socket>();
  private stalling = false;
  private server = createServer();
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    proxy.port = await proxy.listen(0);
    return proxy;
  }

  cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.stalled.clear();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Answers stop coming back; what the client sends still arrives. */
  stall(): void {
    this.stalling = true;
  }

  async restore(): Promise<void> {
    this.stalling = false;
    for (const socket of this.stalled) socket.resume();
    this.stalled.clear();
    if (!this.server.listening) {
      this.server = createServer();
      await this.listen(this.port);
    }
  }

  close(): Promise<void> {
    return this.cut();
  }

  private listen(port: number): Promise<number> {
    this.server.on('connection', (client) => this.pipe(client));
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  private pipe(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (this.stalling) {
        upstream.pause();
        upstream.unshift(chunk);
        this.stalled.add(upstream);
        return;
      }
      client.write(chunk);
    });
  }
}
