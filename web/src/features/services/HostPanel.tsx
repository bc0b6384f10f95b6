import { useMemo } from 'react'
import { Link } from 'react-router'
import type { HostMetricName, HostMetrics, HostOut, SeriesRange, ServiceOut } from '../../api'
import { HostStatusBadge } from '../../components/Badge'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { rangeLong } from '../../components/RangePicker'
import { TimeSeriesChart } from '../../components/TimeSeriesChart'
import type { ChartSeries } from '../../components/TimeSeriesChart'
import { formatPercent } from '../../components/format'
import { usePermissions } from '../auth/permissions'
import { ChartNote, ChartTile } from './ChartTile'
import { useServiceHost, useServiceHostMetrics } from './hooks'

const linkClass = 'text-indigo-700 hover:underline dark:text-indigo-300'
const indigo = { light: '#4f46e5', dark: '#a5b4fc' }
const orange = { light: '#c2410c', dark: '#fdba74' }

interface Line {
  label: string
  pick: 'avg' | 'max'
  color: ChartSeries['color']
}

const CHARTS: { title: string; metric: HostMetricName; lines: Line[] }[] = [
  {
    title: 'CPU',
    metric: 'cpu',
    lines: [
      { label: 'Average', pick: 'avg', color: indigo },
      { label: 'Peak', pick: 'max', color: orange },
    ],
  },
  { title: 'RAM', metric: 'mem_pct', lines: [{ label: 'RAM used', pick: 'avg', color: indigo }] },
]

interface HostChartProps {
  spec: (typeof CHARTS)[number]
  metrics: HostMetrics
  /** Its newest sample heads the chart: longer ranges read rollups, which trail it by up to a minute. */
  host: HostOut
  long: string
}

function HostChart({ spec, metrics, host, long }: HostChartProps) {
  const lines = useMemo<ChartSeries[]>(
    () =>
      spec.lines.map((line) => ({
        label: line.label,
        color: line.color,
        values: metrics.series[spec.metric]?.[line.pick] ?? metrics.t.map(() => null),
      })),
    [metrics, spec],
  )
  const span = useMemo(() => [Date.parse(metrics.start) / 1000, Date.parse(metrics.end) / 1000] as const, [metrics])
  const latest = host.latest[spec.metric]
  const when = host.status === 'missing' ? 'when last seen' : 'now'
  const known = lines.flatMap((line) => line.values.filter((v): v is number => v !== null))

  return (
    <ChartTile title={spec.title} figure={latest === undefined ? undefined : `${formatPercent(latest)} ${when}`}>
      {known.length === 0 ? (
        <ChartNote>No samples in the last {long}.</ChartNote>
      ) : (
        <TimeSeriesChart
          timestamps={metrics.t}
          series={lines}
          span={span}
          height={180}
          formatValue={formatPercent}
          label={`${spec.title} of the host over the last ${long}: up to ${formatPercent(Math.max(...known))}, ${when} ${formatPercent(latest)}.`}
        />
      )}
    </ChartTile>
  )
}

function HostHeading({ host }: { host: HostOut }) {
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <Link to={`/hosts/${host.id}`} className={`font-medium ${linkClass}`}>
        {host.name}
      </Link>
      <HostStatusBadge status={host.status} />
    </div>
  )
}

function HostCharts({ hostId, range }: { hostId: string; range: SeriesRange }) {
  const host = useServiceHost(hostId)
  const metrics = useServiceHostMetrics(hostId, range)
  const long = rangeLong(range)

  let body
  if (host.isError) body = <ErrorNotice title="Could not load the host" error={host.error} />
  else if (metrics.isPending || host.isPending) body = <Loading>Loading the host…</Loading>
  else if (metrics.isError) body = <ErrorNotice title="Could not load the host's metrics" error={metrics.error} />
  else if (host.data.last_seen_at === null)
    body = (
      <ChartNote>
        {host.data.name} has not sent any samples yet: its{' '}
        <Link to={`/hosts/${hostId}`} className={linkClass}>
          host page
        </Link>{' '}
        shows how to install the agent.
      </ChartNote>
    )
  else
    body = (
      <div className="grid gap-6 lg:grid-cols-2">
        {CHARTS.map((spec) => (
          <HostChart key={spec.metric} spec={spec} metrics={metrics.data} host={host.data} long={long} />
        ))}
      </div>
    )

  return (
    <Panel title="Host" actions={host.data ? <HostHeading host={host.data} /> : undefined}>
      {body}
    </Panel>
  )
}

/**
 * CPU and RAM of the host the service runs on. Without a host, people who may
 * edit the service are told where to set one; others see nothing.
 */
export function HostPanel({ service, range }: { service: ServiceOut; range: SeriesRange }) {
  const { canEdit } = usePermissions()
  if (service.host_id !== null) return <HostCharts hostId={service.host_id} range={range} />
  if (!canEdit) return null
  return (
    <p className="text-sm text-slate-600 dark:text-slate-400">
      To see the CPU and RAM of the host this service runs on here, choose its host in the{' '}
      <Link to={`/services/${service.id}/edit`} className={linkClass}>
        service's settings
      </Link>
      .
    </p>
  )
}
