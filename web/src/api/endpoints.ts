import type { ApiClient, HttpMethod, RequestOptions } from './client'
import type {
  AlertStatus,
  ApiKeyCreatedOut,
  ChannelIn,
  ChannelOut,
  ChannelPatch,
  DeliveryOut,
  RuleIn,
  RuleOut,
  RulePatch,
  ApiKeyIn,
  ApiKeyOut,
  CheckNowOut,
  CommentOut,
  HostCreated,
  HostIn,
  HostMetrics,
  HostOut,
  HostPatch,
  HostToken,
  InviteCreatedOut,
  InvitePreviewOut,
  PasswordResetPreviewOut,
  MemberOut,
  Role,
  CheckPage,
  IncidentOut,
  IncidentPage,
  Me,
  Series,
  SeriesRange,
  Severity,
  TrafficSeries,
  UptimeDay,
  ServiceCreated,
  ServiceIn,
  ServiceOut,
  ServicePatch,
  ServiceSummary,
  TokenPair,
} from './types'
import type { components } from './schema'

type AlertCount = components['schemas']['AlertCount']
type AlertDetail = components['schemas']['AlertDetail']
type AlertPage = components['schemas']['AlertPage']
type AuditPage = components['schemas']['AuditPage']
type InviteOut = components['schemas']['InviteOut']
type LogPage = components['schemas']['LogPage']
type PasswordResetDoneOut = components['schemas']['PasswordResetDoneOut']
type PasswordResetRequestedOut = components['schemas']['PasswordResetRequestedOut']

// Every route the app calls, in one list, each with the types of its answer,
// body and query. `openapi.test.ts` checks this list against the server's
// OpenAPI snapshot, so a renamed route fails a test rather than a page.

export interface Endpoint<Res, Body, Query, Path extends string> {
  method: HttpMethod
  /** Relative to /api/v1, with `{name}` placeholders as in the OpenAPI document. */
  path: Path
  /** The query parameters this call may send (checked against the snapshot). */
  queryNames: readonly (keyof Query & string)[]
  // Type carriers only: never set at run time.
  readonly response?: Res
  readonly body?: Body
}

type NoQuery = Record<never, never>

function endpoint<Res, Body = undefined, Query = NoQuery>() {
  return <Path extends string>(
    method: HttpMethod,
    path: Path,
    queryNames: readonly (keyof Query & string)[] = [],
  ): Endpoint<Res, Body, Query, Path> => ({ method, path, queryNames })
}

export interface ChecksQuery {
  limit?: number
  before?: string
}

export interface SeriesQuery {
  range?: SeriesRange
}

export interface IncidentsQuery {
  /** One status, or several separated by commas ("open,investigating"). */
  status?: string
  limit?: number
  before?: string
}

/** Only the fields sent change; `status: 'investigating'` acknowledges. */
export interface IncidentPatchBody {
  severity?: Severity
  status?: 'investigating'
  assignee_id?: string | null
}

export interface HostMetricsQuery {
  range?: SeriesRange
  /** Comma-separated names from HOST_METRICS; all of them when left out. */
  metrics?: string
}

export interface LogsQuery {
  /** Words, "a phrase", prefix*. */
  q?: string
  /** One level, or several separated by commas. */
  level?: string
  host_id?: string
  service_id?: string
  source?: string
  from?: string
  to?: string
  before?: string
  limit?: number
}

export interface AuditQuery {
  before?: number
  limit?: number
}

export interface AlertsQuery {
  status?: AlertStatus
  rule_id?: string
  subject_id?: string
  before?: string
  limit?: number
}

export type AlertCountQuery = Pick<AlertsQuery, 'status' | 'rule_id' | 'subject_id'>

export interface DeliveriesQuery {
  limit?: number
}

export interface LoginBody {
  email: string
  password: string
}

export interface SignupBody extends LoginBody {
  name: string
  team_name: string
}

export interface InviteAcceptBody {
  token: string
  password: string
  /** Required when the invited email has no account yet; ignored otherwise. */
  name?: string
}

export interface PasswordResetAcceptBody {
  token: string
  password: string
}

export const endpoints = {
  login: endpoint<TokenPair, LoginBody>()('POST', '/auth/login'),
  signup: endpoint<TokenPair, SignupBody>()('POST', '/auth/signup'),
  logout: endpoint<undefined, { refresh_token: string }>()('POST', '/auth/logout'),
  me: endpoint<Me>()('GET', '/me'),
  invitePreview: endpoint<InvitePreviewOut>()('GET', '/invites/{token}'),
  acceptInvite: endpoint<TokenPair, InviteAcceptBody>()('POST', '/invites/accept'),
  requestPasswordReset: endpoint<PasswordResetRequestedOut, { email: string }>()('POST', '/auth/password-reset'),
  passwordResetPreview: endpoint<PasswordResetPreviewOut>()('GET', '/password-resets/{token}'),
  acceptPasswordReset: endpoint<PasswordResetDoneOut, PasswordResetAcceptBody>()('POST', '/password-resets/accept'),

  listServices: endpoint<ServiceSummary[]>()('GET', '/services'),
  createService: endpoint<ServiceCreated, ServiceIn>()('POST', '/services'),
  getService: endpoint<ServiceOut>()('GET', '/services/{service_id}'),
  updateService: endpoint<ServiceOut, ServicePatch>()('PATCH', '/services/{service_id}'),
  deleteService: endpoint<undefined>()('DELETE', '/services/{service_id}'),
  checkNow: endpoint<CheckNowOut>()('POST', '/services/{service_id}/check-now'),
  serviceChecks: endpoint<CheckPage, undefined, ChecksQuery>()(
    'GET',
    '/services/{service_id}/checks',
    ['limit', 'before'],
  ),
  uptimeDays: endpoint<UptimeDay[], undefined, { days?: number }>()(
    'GET',
    '/services/{service_id}/uptime-days',
    ['days'],
  ),
  serviceSeries: endpoint<Series, undefined, SeriesQuery>()(
    'GET',
    '/services/{service_id}/series',
    ['range'],
  ),
  serviceTraffic: endpoint<TrafficSeries, undefined, SeriesQuery>()(
    'GET',
    '/services/{service_id}/traffic',
    ['range'],
  ),

  listIncidents: endpoint<IncidentPage, undefined, IncidentsQuery>()('GET', '/incidents', [
    'status',
    'limit',
    'before',
  ]),
  getIncident: endpoint<IncidentOut>()('GET', '/incidents/{incident_id}'),
  incidentComments: endpoint<CommentOut[]>()('GET', '/incidents/{incident_id}/comments'),
  addComment: endpoint<CommentOut, { body: string }>()('POST', '/incidents/{incident_id}/comments'),
  editComment: endpoint<CommentOut, { body: string }>()('PATCH', '/incidents/{incident_id}/comments/{comment_id}'),
  deleteComment: endpoint<undefined>()('DELETE', '/incidents/{incident_id}/comments/{comment_id}'),
  updateIncident: endpoint<IncidentOut, IncidentPatchBody>()('PATCH', '/incidents/{incident_id}'),
  resolveIncident: endpoint<IncidentOut, { note?: string }>()('POST', '/incidents/{incident_id}/resolve'),
  reopenIncident: endpoint<IncidentOut, { note?: string }>()('POST', '/incidents/{incident_id}/reopen'),

  listHosts: endpoint<HostOut[]>()('GET', '/hosts'),
  createHost: endpoint<HostCreated, HostIn>()('POST', '/hosts'),
  getHost: endpoint<HostOut>()('GET', '/hosts/{host_id}'),
  updateHost: endpoint<HostOut, HostPatch>()('PATCH', '/hosts/{host_id}'),
  deleteHost: endpoint<undefined>()('DELETE', '/hosts/{host_id}'),
  rotateHostToken: endpoint<HostToken>()('POST', '/hosts/{host_id}/token'),
  hostMetrics: endpoint<HostMetrics, undefined, HostMetricsQuery>()('GET', '/hosts/{host_id}/metrics', [
    'range',
    'metrics',
  ]),

  listLogs: endpoint<LogPage, undefined, LogsQuery>()('GET', '/logs', [
    'q',
    'level',
    'host_id',
    'service_id',
    'source',
    'from',
    'to',
    'before',
    'limit',
  ]),

  listMembers: endpoint<MemberOut[]>()('GET', '/team/members'),
  changeRole: endpoint<MemberOut, { role: Role }>()('PATCH', '/team/members/{user_id}'),
  removeMember: endpoint<undefined>()('DELETE', '/team/members/{user_id}'),
  listInvites: endpoint<InviteOut[]>()('GET', '/team/invites'),
  createInvite: endpoint<InviteCreatedOut, { email: string; role: Role }>()('POST', '/team/invites'),
  revokeInvite: endpoint<undefined>()('DELETE', '/team/invites/{invite_id}'),
  listApiKeys: endpoint<ApiKeyOut[]>()('GET', '/team/api-keys'),
  createApiKey: endpoint<ApiKeyCreatedOut, ApiKeyIn>()('POST', '/team/api-keys'),
  revokeApiKey: endpoint<undefined>()('DELETE', '/team/api-keys/{key_id}'),
  auditLog: endpoint<AuditPage, undefined, AuditQuery>()('GET', '/team/audit', ['before', 'limit']),

  listRules: endpoint<RuleOut[]>()('GET', '/alert-rules'),
  createRule: endpoint<RuleOut, RuleIn>()('POST', '/alert-rules'),
  getRule: endpoint<RuleOut>()('GET', '/alert-rules/{rule_id}'),
  updateRule: endpoint<RuleOut, RulePatch>()('PATCH', '/alert-rules/{rule_id}'),
  deleteRule: endpoint<undefined>()('DELETE', '/alert-rules/{rule_id}'),

  listChannels: endpoint<ChannelOut[]>()('GET', '/channels'),
  createChannel: endpoint<ChannelOut, ChannelIn>()('POST', '/channels'),
  updateChannel: endpoint<ChannelOut, ChannelPatch>()('PATCH', '/channels/{channel_id}'),
  deleteChannel: endpoint<undefined>()('DELETE', '/channels/{channel_id}'),
  testChannel: endpoint<DeliveryOut>()('POST', '/channels/{channel_id}/test'),
  channelDeliveries: endpoint<DeliveryOut[], undefined, DeliveriesQuery>()(
    'GET',
    '/channels/{channel_id}/deliveries',
    ['limit'],
  ),

  listAlerts: endpoint<AlertPage, undefined, AlertsQuery>()('GET', '/alerts', [
    'status',
    'rule_id',
    'subject_id',
    'before',
    'limit',
  ]),
  countAlerts: endpoint<AlertCount, undefined, AlertCountQuery>()('GET', '/alerts/count', [
    'status',
    'rule_id',
    'subject_id',
  ]),
  getAlert: endpoint<AlertDetail>()('GET', '/alerts/{alert_id}'),
} as const

type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PathParamNames<Rest>
  : never

type QueryValue = string | number | boolean | null | undefined

type CallArgs<Body, Query, Path extends string> = ([PathParamNames<Path>] extends [never]
  ? { params?: undefined }
  : { params: Record<PathParamNames<Path>, string> }) &
  ([Body] extends [undefined] ? { body?: undefined } : { body: Body }) & {
    query?: Query
  } & Pick<RequestOptions, 'auth' | 'retryOnUnauthorized' | 'signal'>

// Arguments may be left out entirely when a call needs neither params nor a body.
export type CallRest<Body, Query, Path extends string> =
  NoQuery extends CallArgs<Body, Query, Path>
    ? [args?: CallArgs<Body, Query, Path>]
    : [args: CallArgs<Body, Query, Path>]

/** `/services/{service_id}` + {service_id: "a b"} + {limit: 5} → `/services/a%20b?limit=5`. */
export function buildPath(
  template: string,
  params: Record<string, string> = {},
  query: Record<string, QueryValue> = {},
): string {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`)
    return encodeURIComponent(value)
  })
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.append(name, String(value))
  }
  const text = search.toString()
  return text === '' ? path : `${path}?${text}`
}

export function callEndpoint<Res, Body, Query, Path extends string>(
  client: ApiClient,
  target: Endpoint<Res, Body, Query, Path>,
  ...[args]: CallRest<Body, Query, Path>
): Promise<Res> {
  const { params, body, query, ...options } = (args ?? {}) as {
    params?: Record<string, string>
    body?: unknown
    query?: Record<string, QueryValue>
  } & Pick<RequestOptions, 'auth' | 'retryOnUnauthorized' | 'signal'>
  return client.request<Res>(buildPath(target.path, params, query), {
    ...options,
    method: target.method,
    body,
  })
}
