import { useMemo } from 'react'
import type { Series, SeriesRange } from '../../api'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { rangeLong } from '../../components/RangePicker'
import { TimeSeriesChart } from '../../components/TimeSeriesChart'
import type { ChartSeries } from '../../components/TimeSeriesChart'
import { formatLatency } from '../../components/format'
import { ChartNote } from './ChartTile'
import { useServiceSeries } from './hooks'

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

export function LatencyPanel({ serviceId, range }: { serviceId: string; range: SeriesRange }) {
  const series = useServiceSeries(serviceId, range)
  const data = useMemo(() => (series.data ? chartData(series.data) : null), [series.data])
  const long = rangeLong(range)

  let body
  if (series.isPending) body = <Loading>Loading latency…</Loading>
  else if (series.isError) body = <ErrorNotice title="Could not load latency" error={series.error} />
  else if (data === null || data.averages.length === 0)
    body = <ChartNote>No checks in the last {long}.</ChartNote>
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

  return <Panel title="Latency">{body}</Panel>
}
