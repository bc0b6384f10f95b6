import type {
  CheckOut,
  CheckPage,
  HostOut,
  IncidentOut,
  IncidentPage,
  Me,
  Role,
  Series,
  ServiceOut,
  ServiceSummary,
  StatusPageOut,
  TokenPair,
  TrafficSeries,
} from '../api/types'

export function tokenPair(suffix = '1'): TokenPair {
  return {
    access_token: `access-${suffix}`,
    refresh_token: `refresh-${suffix}`,
    token_type: 'bearer',
    expires_in: 900,
    team_id: 'team-1',
  }
}

export const me: Me = {
  id: 'user-1',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  role: 'admin',
  team: { id: 'team-1', name: 'Platform' },
  teams: [
    { id: 'team-1', name: 'Platform', role: 'admin' },
    { id: 'team-2', name: 'Payments', role: 'viewer' },
  ],
}

export function meAs(role: Role): Me {
  return { ...me, role, teams: [{ id: 'team-1', name: 'Platform', role }] }
}

export function summary(overrides: Partial<ServiceSummary> & Pick<ServiceSummary, 'id' | 'name'>): ServiceSummary {
  return {
    kind: 'http',
    url: `https://${overrides.id}.example.com/health`,
    status: 'up',
    status_changed_at: '2026-01-10T09:00:00Z',
    last_check_at: '2026-01-10T10:00:00Z',
    last_latency_ms: 120,
    uptime_24h: 0.9995,
    interval_s: 60,
    tags: [],
    ...overrides,
  }
}

export function manyServices(count: number): ServiceSummary[] {
  return Array.from({ length: count }, (_, i) =>
    summary({ id: `svc-${i}`, name: `Service ${String(i).padStart(5, '0')}` }),
  )
}

export function serviceOut(overrides: Partial<ServiceOut> = {}): ServiceOut {
  return {
    id: 'svc-1',
    name: 'Checkout API',
    kind: 'http',
    url: 'https://checkout.example.com/health',
    method: 'GET',
    headers: {},
    body: null,
    interval_s: 60,
    timeout_s: 10,
    expected_statuses: '200-299',
    keyword: null,
    keyword_absent: false,
    json_path: null,
    json_expected: null,
    latency_threshold_ms: null,
    failures_before_down: 2,
    successes_before_up: 1,
    follow_redirects: true,
    verify_tls: true,
    tls_warn_days: 14,
    tags: ['prod'],
    host_id: null,
    enabled: true,
    severity: 'high',
    grace_s: 60,
    status: 'up',
    status_changed_at: '2026-01-10T09:00:00Z',
    last_check_at: '2026-01-10T10:00:00Z',
    last_latency_ms: 120,
    last_status_code: 200,
    last_error: null,
    tls_expires_at: null,
    host: null,
    port: null,
    ping_count: 3,
    loss_threshold_pct: 50,
    dns_record_type: 'A',
    dns_server: null,
    dns_expected: [],
    dns_match: 'any',
    last_figures: {},
    run_from: 'server',
    run_host_id: null,
    run_labels: {},
    quorum: null,
    badge_path: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    uptime: { '24h': 0.9995, '7d': 0.998, '30d': 0.99, '90d': 0.95, '1y': null },
    ...overrides,
  }
}

export function hostOut(overrides: Partial<HostOut> = {}): HostOut {
  return {
    id: 'host-1',
    name: 'web-1',
    labels: {},
    status: 'online',
    status_changed_at: '2026-01-10T09:00:00Z',
    last_seen_at: '2026-01-10T10:00:00Z',
    hostname: 'web-1',
    agent_version: '0.1.0',
    os: 'linux',
    interval_s: 5,
    missing_after: 6,
    latest: { cpu: 12.5, mem_pct: 25 },
    created_at: '2026-01-01T00:00:00Z',
    ...overrides,
  }
}

export function check(overrides: Partial<CheckOut> = {}): CheckOut {
  return {
    at: '2026-01-10T10:00:00Z',
    ok: true,
    degraded: false,
    muted: false,
    status_code: 200,
    latency_ms: 120,
    error_class: null,
    error: null,
    ...overrides,
  }
}

export function checkPage(items: CheckOut[], nextCursor: string | null = null): CheckPage {
  return { items, next_cursor: nextCursor }
}

export const emptySeries: Series = {
  start: '2026-01-09T10:00:00Z',
  end: '2026-01-10T10:00:00Z',
  bucket_s: 300,
  points: [],
}

/** The traffic of a service that has never pushed any. */
export const noTraffic: TrafficSeries = {
  start: '2026-01-09T10:00:00Z',
  end: '2026-01-10T10:00:00Z',
  bucket_s: 120,
  t: [],
  requests: [],
  errors: [],
  error_rate: [],
  latency_p95_ms: [],
  last_sample_at: null,
}

export function incident(overrides: Partial<IncidentOut> = {}): IncidentOut {
  return {
    id: 'inc-1',
    title: 'Checkout API is down',
    description: '',
    severity: 'high',
    status: 'open',
    source: 'service_status',
    service_id: 'svc-1',
    host_id: null,
    assignee_id: null,
    opened_at: '2026-01-10T10:00:00Z',
    acknowledged_at: null,
    resolved_at: null,
    duration_s: null,
    ...overrides,
  }
}

export function incidentPage(items: IncidentOut[], nextCursor: string | null = null): IncidentPage {
  return { items, next_cursor: nextCursor }
}

export function statusPageOut(overrides: Partial<StatusPageOut> = {}): StatusPageOut {
  const slug = overrides.slug ?? 'acme'
  return {
    id: 'page-1',
    slug,
    title: 'Acme status',
    description: 'How our services are doing.',
    theme: 'auto',
    indexed: false,
    footer_links: [],
    components: [
      {
        id: 'comp-1',
        name: 'Checkout',
        group: 'Shop',
        description: null,
        service_ids: ['svc-1'],
        host_ids: [],
        show_latency: false,
      },
    ],
    access: 'public',
    has_password: false,
    allowed_ips: [],
    custom_domain: null,
    logo_path: null,
    path: `/status/${slug}`,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...overrides,
  }
}
