import { useMemo } from 'react'
import type { HostMetricName, HostMetrics } from '../../api'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { RangePicker, rangeLong } from '../../components/RangePicker'
import { TimeSeriesChart } from '../../components/TimeSeriesChart'
import type { ChartSeries } from '../../components/TimeSeriesChart'
import { formatPercent, formatRate } from '../../components/format'
import { useHostMetrics } from './hooks'
import { useHostsUi } from './uiStore'

interface Line {
  metric: HostMetricName
  label: string
  color: ChartSeries['color']
  /** Which of the bucket's values to draw. */
  pick?: 'avg' | 'max'
}

interface ChartSpec {
  title: string
  lines: Line[]
  format: (value: number) => string
}

const indigo = { light: '#4f46e5', dark: '#a5b4fc' }
const orange = { light: '#c2410c', dark: '#fdba74' }
const teal = { light: '#0f766e', dark: '#5eead4' }

const load = (value: number) => value.toFixed(2)

const CHARTS: ChartSpec[] = [
  {
    title: 'CPU',
    format: formatPercent,
    lines: [
      { metric: 'cpu', label: 'Average', color: indigo },
      { metric: 'cpu', label: 'Peak', color: orange, pick: 'max' },
    ],
  },
  {
    title: 'Memory',
    format: formatPercent,
    lines: [
      { metric: 'mem_pct', label: 'RAM', color: indigo },
      { metric: 'swap_pct', label: 'Swap', color: orange },
    ],
  },
  { title: 'Disk', format: formatPercent, lines: [{ metric: 'disk_pct', label: 'Fullest disk', color: indigo }] },
  {
    title: 'Network',
    format: formatRate,
    lines: [
      { metric: 'net_rx_bps', label: 'Received', color: indigo },
      { metric: 'net_tx_bps', label: 'Sent', color: orange },
    ],
  },
  {
    title: 'Disk I/O',
    format: formatRate,
    lines: [
      { metric: 'disk_read_bps', label: 'Read', color: indigo },
      { metric: 'disk_write_bps', label: 'Written', color: orange },
    ],
  },
  {
    title: 'Load',
    format: load,
    lines: [
      { metric: 'load1', label: '1 min', color: indigo },
      { metric: 'load5', label: '5 min', color: orange },
      { metric: 'load15', label: '15 min', color: teal },
    ],
  },
]

function seriesOf(metrics: HostMetrics, spec: ChartSpec): ChartSeries[] {
  return spec.lines.map((line) => ({
    label: line.label,
    color: line.color,
    values: metrics.series[line.metric]?.[line.pick ?? 'avg'] ?? metrics.t.map(() => null),
  }))
}

function summary(spec: ChartSpec, lines: ChartSeries[], long: string): string {
  const parts = lines.map((line) => {
    const values = line.values.filter((v): v is number => v !== null)
    if (values.length === 0) return `${line.label}: no data`
    return `${line.label} up to ${spec.format(Math.max(...values))}, last ${spec.format(values[values.length - 1] ?? 0)}`
  })
  return `${spec.title} over the last ${long}: ${parts.join('; ')}.`
}

function MetricChart({ spec, metrics, long }: { spec: ChartSpec; metrics: HostMetrics; long: string }) {
  const lines = useMemo(() => seriesOf(metrics, spec), [metrics, spec])
  const span = useMemo(() => [Date.parse(metrics.start) / 1000, Date.parse(metrics.end) / 1000] as const, [metrics])
  const hasData = lines.some((line) => line.values.some((v) => v !== null))
  return (
    <Panel title={spec.title}>
      {hasData ? (
        <TimeSeriesChart
          timestamps={metrics.t}
          series={lines}
          span={span}
          height={180}
          formatValue={spec.format}
          label={summary(spec, lines, long)}
        />
      ) : (
        <p className="py-8 text-center text-sm text-slate-600 dark:text-slate-400">No samples in the last {long}.</p>
      )}
    </Panel>
  )
}

export function HostCharts({ hostId }: { hostId: string }) {
  const range = useHostsUi((state) => state.range)
  const setRange = useHostsUi((state) => state.setRange)
  const metrics = useHostMetrics(hostId, range)
  const long = rangeLong(range)

  let body
  if (metrics.isPending) body = <Loading>Loading metrics…</Loading>
  else if (metrics.isError) body = <ErrorNotice title="Could not load metrics" error={metrics.error} />
  else
    body = (
      <div className="grid gap-4 lg:grid-cols-2">
        {CHARTS.map((spec) => (
          <MetricChart key={spec.title} spec={spec} metrics={metrics.data} long={long} />
        ))}
      </div>
    )

  return (
    <section aria-labelledby="host-metrics" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="host-metrics" className="text-lg font-semibold">
          Metrics
        </h2>
        <RangePicker value={range} onChange={setRange} />
      </div>
      {body}
    </section>
  )
}
