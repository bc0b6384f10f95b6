import { useMemo } from 'react'
import { Link } from 'react-router'
import type { SeriesRange, TrafficSeries } from '../../api'
import { CopyButton } from '../../components/CopyButton'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { rangeLong } from '../../components/RangePicker'
import { TimeSeriesChart } from '../../components/TimeSeriesChart'
import type { ChartSeries } from '../../components/TimeSeriesChart'
import { formatDateTime } from '../../components/format'
import { ChartNote, ChartTile } from './ChartTile'
import { useServiceTraffic } from './hooks'
import { bucketName, formatCount, formatCountShort, formatErrorRate, trafficFigures } from './trafficFigures'

export const INGEST_ROUTE = '/api/v1/ingest/service-metrics'

const colors = {
  requests: { light: '#4f46e5', dark: '#a5b4fc' },
  errors: { light: '#b91c1c', dark: '#fca5a5' },
}

function exampleBatch(serviceId: string, now: Date): string {
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const batch = {
    batch_id: `${serviceId.slice(0, 8)}-${Math.floor(now.getTime() / 1000)}`,
    sent_at: at,
    samples: [{ service_id: serviceId, at, requests: 1200, errors: 3 }],
  }
  return JSON.stringify(batch, null, 2)
}

/** What to do when the service has never pushed its counts: the route, the key, a body to copy. */
function PushHint({ serviceId }: { serviceId: string }) {
  const body = useMemo(() => exampleBatch(serviceId, new Date()), [serviceId])
  const url = `${window.location.origin}${INGEST_ROUTE}`
  return (
    <div className="flex flex-col gap-3 text-sm">
      <p className="font-medium">This service has not pushed any request counts yet.</p>
      <p className="text-slate-700 dark:text-slate-300">
        Have it send how many requests it served and how many failed, every minute or so, as{' '}
        <code className="font-mono">POST {INGEST_ROUTE}</code> with an agent API key (
        <code className="font-mono">Authorization: Bearer wd_…</code>; admins create one on the{' '}
        <Link to="/team" className="text-indigo-700 underline dark:text-indigo-300">
          Team page
        </Link>
        ). Each
        batch needs a new <code className="font-mono">batch_id</code>; resending one is ignored.
      </p>
      <div className="flex flex-col gap-1">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <span className="font-medium">Example body for {url}</span>
          <CopyButton text={body} label="example body" />
        </div>
        <pre
          aria-label="Example body"
          className="overflow-x-auto rounded-md border border-slate-300 bg-slate-50 p-3 font-mono text-xs dark:border-slate-700 dark:bg-slate-950"
        >
          {body}
        </pre>
      </div>
    </div>
  )
}

function TrafficCharts({ traffic, long }: { traffic: TrafficSeries; long: string }) {
  const figures = useMemo(() => trafficFigures(traffic), [traffic])
  const span = useMemo(() => [Date.parse(traffic.start) / 1000, Date.parse(traffic.end) / 1000] as const, [traffic])
  const requests = useMemo<ChartSeries[]>(
    () => [{ label: 'Requests', values: traffic.requests, color: colors.requests }],
    [traffic],
  )
  const errors = useMemo<ChartSeries[]>(
    () => [{ label: 'Error rate', values: figures.ratePercent, color: colors.errors }],
    [figures],
  )
  const per = bucketName(traffic.bucket_s)
  const overall = figures.errorRate === null ? '—' : formatErrorRate(figures.errorRate)
  const peakRate = figures.peakRate === null ? '—' : formatErrorRate(figures.peakRate)

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <ChartTile title={`Requests per ${per}`} figure={`${formatCount(figures.totalRequests)} requests`}>
        <TimeSeriesChart
          timestamps={traffic.t}
          series={requests}
          span={span}
          height={180}
          formatValue={formatCountShort}
          label={`Requests over the last ${long}: ${formatCount(figures.totalRequests)} in all, up to ${formatCount(figures.peakRequests)} per ${per}.`}
        />
      </ChartTile>
      <ChartTile title="Error rate" figure={`${overall} errors`}>
        <TimeSeriesChart
          timestamps={traffic.t}
          series={errors}
          span={span}
          height={180}
          formatValue={formatErrorRate}
          label={`Error rate over the last ${long}: ${overall} overall (${formatCount(figures.totalErrors)} errors), highest ${peakRate} per ${per}.`}
        />
      </ChartTile>
    </div>
  )
}

/** Request count and error rate the service pushes about itself. */
export function TrafficPanel({ serviceId, range }: { serviceId: string; range: SeriesRange }) {
  const traffic = useServiceTraffic(serviceId, range)
  const long = rangeLong(range)

  let body
  if (traffic.isPending) body = <Loading>Loading traffic…</Loading>
  else if (traffic.isError) body = <ErrorNotice title="Could not load traffic" error={traffic.error} />
  else if (traffic.data.last_sample_at === null) body = <PushHint serviceId={serviceId} />
  else if (traffic.data.t.length === 0)
    body = (
      <ChartNote>
        No traffic pushed in the last {long}; the last sample is from {formatDateTime(traffic.data.last_sample_at)}.
      </ChartNote>
    )
  else body = <TrafficCharts traffic={traffic.data} long={long} />

  return <Panel title="Traffic">{body}</Panel>
}
