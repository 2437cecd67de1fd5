/**
 * Every sample and family name a metric can put into an exposition, in either format.
 * Two metrics whose sets meet would write duplicate series (a Histogram `h` and a Gauge
 * `h_count`) or a family twice (a Counter `x_total` is family `x` in OpenMetrics), and
 * Prometheus then rejects the whole scrape; client_golang refuses them at registration.
 */
export function exposedNames(name: string, type: string | undefined): string[] {
  switch (type) {
    case 'counter': {
      const base = name.endsWith('_total') ? name.slice(0, -6) : name;
      return [...new Set([name, base, `${base}_total`, `${base}_created`])];
    }
    case 'histogram':
      return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`, `${name}_created`];
    case 'summary':
      return [name, `${name}_sum`, `${name}_count`, `${name}_created`];
    default:
      return [name];
  }
}

export interface NameOwner {
  readonly name: string;
  readonly type?: string;
}

/** Which metric claims which exposed name, so a colliding registration is found in O(names). */
export class NameClaims<M extends NameOwner> {
  private readonly owners = new Map<string, M>();

  constructor(private readonly reserved: ReadonlyMap<string, string> = new Map()) {}

  /** The first name `metric` would expose that another metric (or promkit itself) already does. */
  conflict(metric: NameOwner): { name: string; owner: M | undefined; reservedFor?: string } | undefined {
    for (const n of exposedNames(metric.name, metric.type)) {
      const why = this.reserved.get(n);
      if (why !== undefined) return { name: n, owner: undefined, reservedFor: why };
      const owner = this.owners.get(n);
      if (owner !== undefined && owner !== metric) return { name: n, owner };
    }
    return undefined;
  }

  claim(metric: M): void {
    for (const n of exposedNames(metric.name, metric.type)) this.owners.set(n, metric);
  }

  release(metric: M): void {
    for (const n of exposedNames(metric.name, metric.type)) if (this.owners.get(n) === metric) this.owners.delete(n);
  }

  clear(): void {
    this.owners.clear();
  }
}
