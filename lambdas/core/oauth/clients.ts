/**
 * The OAuth clients allowed to use the device flow. They are public clients
 * (RFC 6749 §2.1): a TV app cannot keep a secret, so a client id identifies,
 * it does not authenticate.
 */
export interface PublicClient {
  clientId: string;
  /** Shown on /activate so the user knows what they are connecting. */
  name: string;
}

export class ClientRegistry {
  private readonly clients: Map<string, PublicClient>;

  constructor(clients: PublicClient[]) {
    this.clients = new Map(clients.map((client) => [client.clientId, client]));
  }

  /**
   * From configuration: comma-separated `client-id` or `client-id=Display name`,
   * e.g. `applicaster-tv=Our TV app,roku`.
   */
  static parse(value: string): ClientRegistry {
    const clients = value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        const at = entry.indexOf('=');
        const clientId = (at === -1 ? entry : entry.slice(0, at)).trim();
        const name = at === -1 ? '' : entry.slice(at + 1).trim();
        return { clientId, name: name || 'your TV app' };
      })
      .filter((client) => client.clientId);
    return new ClientRegistry(clients);
  }

  find(clientId: string | undefined): PublicClient | undefined {
    return clientId === undefined ? undefined : this.clients.get(clientId);
  }

  ids(): string[] {
    return [...this.clients.keys()];
  }
}
