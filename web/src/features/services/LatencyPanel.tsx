import { useId, useMemo } from 'react'
import type { Series, SeriesRange } from '../../api'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { TimeSeriesChart } from '../../components/TimeSeriesChart'
import type { ChartSeries } from '../../components/TimeSeriesChart'
import { formatLatency } from '../../format'
import { useServiceSeries } from './hooks'
import { useServicesUi } from './uiStore'

const RANGES: { value: SeriesRange; label: string; long: string }[] = [
  { value: '1h', label: '1h', long: 'hour' },
  { value: '24h', label: '24h', long: '24 hours' },
  { value: '7d', label: '7d', long: '7 days' },
  { value: '30d', label: '30d', long: '30 days' },
  { value: '90d', label: '90d', long: '90 days' },
]

const colors = {
  average: { light: '#4f46e5', dark: '#a5b4fc' },
  p95: { light: '#c2410c', dark: '#fdba74' },
}

function chartData(series: Series) {
  const timestamps = series.points.map((point) => Date.parse(point.t) / 1000)
  const lines: ChartSeries[] = [
    { label: 'Average', values: series.points.map((p) => p.latency_avg), color: colors.average },
    { label: '95th percentile', values: series.points.map((p) => p.latency_p95), color: colors.p95 },
  ]
  const averages = series.points.flatMap((p) => (p.latency_avg === null ? [] : [p.latency_avg]))
  const peaks = series.points.flatMap((p) => (p.latency_p95 === null ? [] : [p.latency_p95]))
  const span = [Date.parse(series.start) / 1000, Date.parse(series.end) / 1000] as const
  return { timestamps, lines, averages, peaks, span }
}

function RangePicker({ value, onChange }: { value: SeriesRange; onChange: (range: SeriesRange) => void }) {
  const name = useId()
  return (
    <fieldset className="flex items-center">
      <legend className="sr-only">Time range</legend>
      <div className="inline-flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-600">
        {RANGES.map((range) => (
          <label
            key={range.value}
            className={
              'cursor-pointer border-l border-slate-300 px-3 py-1.5 text-sm first:border-l-0 ' +
              'has-[:focus-visible]:outline-2 has-[:focus-visible]:-outline-offset-2 has-[:focus-visible]:outline-indigo-500 ' +
              'dark:border-slate-600 ' +
              (value === range.value
                ? 'bg-indigo-600 font-semibold text-white'
                : 'bg-white text-slate-800 hover:bg-slate-100 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700')
            }
          >
            <input
              type="radio"
              name={name}
              value={range.value}
              checked={value === range.value}
              onChange={() => onChange(range.value)}
              className="sr-only"
            />
            <span aria-hidden="true">{range.label}</span>
            <span className="sr-only">Last {range.long}</span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}

export function LatencyPanel({ serviceId }: { serviceId: string }) {
  const range = useServicesUi((state) => state.range)
  const setRange = useServicesUi((state) => state.setRange)
  const series = useServiceSeries(serviceId, range)
  const data = useMemo(() => (series.data ? chartData(series.data) : null), [series.data])
  const long = RANGES.find((r) => r.value === range)?.long ?? range

  let body
  if (series.isPending) body = <Loading>Loading latency…</Loading>
  else if (series.isError) body = <ErrorNotice title="Could not load latency" error={series.error} />
  else if (data === null || data.averages.length === 0)
    body = <p className="py-8 text-center text-sm text-slate-600 dark:text-slate-400">No checks in the last {long}.</p>
  else {
    const mean = data.averages.reduce((a, b) => a + b, 0) / data.averages.length
    const peak = Math.max(...data.peaks, ...data.averages)
    body = (
      <TimeSeriesChart
        timestamps={data.timestamps}
        series={data.lines}
        formatValue={formatLatency}
        span={data.span}
        label={`Latency over the last ${long}: average ${formatLatency(mean)}, highest 95th percentile ${formatLatency(peak)}.`}
      />
    )
  }

  return (
    <Panel title="Latency" actions={<RangePicker value={range} onChange={setRange} />}>
      {body}
    </Panel>
  )
}
