import type { Endpoint } from './endpoint';

export interface HealthInfo {
  /** ms since the epoch when the process started. */
  readonly startedAt: number;
  readonly version: Readonly<Record<string, string>>;
  readonly now: () => number;
}

/** Endpoints any caller may use without credentials: liveness and version. */
export const healthEndpoints = (info: HealthInfo): readonly Endpoint[] => [
  {
    name: 'ping', method: 'get', route: '/ping', stability: 'stable', public: true,
    title: 'Ping Server', description: 'Answers while the server is alive.',
    handle: async () => ({ alive: true, uptime: (info.now() - info.startedAt) / 1000 }),
  },
  {
    name: 'lbheartbeat', method: 'get', route: '/__lbheartbeat__', stability: 'stable', public: true,
    title: 'Load Balancer Heartbeat', description: 'Answers while the server accepts requests.',
    handle: async () => ({}),
  },
  {
    name: 'version', method: 'get', route: '/__version__', stability: 'stable', public: true,
    title: 'Taskcluster Version', description: 'The version of this service.',
    handle: async () => info.version,
  },
  {
    name: 'heartbeat', method: 'get', route: '/__heartbeat__', stability: 'stable', public: true,
    title: 'Heartbeat', description: 'Answers while the service and its dependencies work.',
    handle: async () => ({}),
  },
];
