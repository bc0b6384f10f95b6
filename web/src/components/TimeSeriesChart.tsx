import { useEffect, useId, useLayoutEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { useSettings } from './settingsStore'
import { useColorScheme } from './useColorScheme'

export interface ChartSeries {
  label: string
  /** One value per timestamp; null leaves a gap. */
  values: readonly (number | null)[]
  /** Line colours for light and dark pages. */
  color: { light: string; dark: string }
}

interface TimeSeriesChartProps {
  /** Unix seconds, ascending. */
  timestamps: readonly number[]
  series: readonly ChartSeries[]
  /** Describes the chart for people who cannot see it. */
  label: string
  height?: number
  formatValue?: (value: number) => string
  /** The time span to show, [from, to] in unix seconds; by default the data's own. */
  span?: readonly [number, number]
}

const palette = {
  light: { axis: '#334155', grid: 'rgba(15, 23, 42, 0.08)' },
  dark: { axis: '#cbd5e1', grid: 'rgba(226, 232, 240, 0.12)' },
}

function toData(timestamps: readonly number[], series: readonly ChartSeries[]): uPlot.AlignedData {
  return [Array.from(timestamps), ...series.map((s) => Array.from(s.values))]
}

/**
 * A line chart over time (uPlot). Follows the page's light or dark scheme and
 * the width of its container; new data is drawn without rebuilding the chart.
 */
export function TimeSeriesChart({
  timestamps,
  series,
  label,
  height = 240,
  formatValue = String,
  span,
}: TimeSeriesChartProps) {
  const containerRef = useRef<HTMLDivElement>(null)
  const chartRef = useRef<uPlot | null>(null)
  const scheme = useColorScheme()
  const timeZone = useSettings((state) => state.timeZone)
  const labelId = useId()

  // The latest props, read when the chart is (re)built, so that new data
  // alone does not rebuild it.
  const latest = useRef({ timestamps, series, formatValue, span })
  useLayoutEffect(() => {
    latest.current = { timestamps, series, formatValue, span }
  })

  // The chart is rebuilt only when its lines (names, colours) change.
  const lines = series.map((s) => `${s.label}|${s.color.light}|${s.color.dark}`).join('\n')

  useEffect(() => {
    const container = containerRef.current
    if (container === null) return
    const colors = palette[scheme]
    const format = (value: number) => latest.current.formatValue(value)
    const axis: uPlot.Axis = {
      stroke: colors.axis,
      grid: { stroke: colors.grid, width: 1 },
      ticks: { stroke: colors.grid, width: 1 },
    }
    const options: uPlot.Options = {
      width: Math.max(container.clientWidth, 200),
      height,
      scales: {
        x: {
          time: true,
          range: (_: uPlot, min: number, max: number) => {
            const shown = latest.current.span
            return shown ? [shown[0], shown[1]] : [min, max]
          },
        },
        // Values start at zero so that small changes do not look dramatic.
        y: { range: (_: uPlot, _min: number, max: number) => [0, max > 0 ? max * 1.1 : 1] },
      },
      series: [
        {},
        ...latest.current.series.map((line) => ({
          label: line.label,
          stroke: line.color[scheme],
          width: 2,
          spanGaps: false,
          value: (_: uPlot, value: number | null) => (value === null ? '—' : format(value)),
        })),
      ],
      axes: [
        axis,
        {
          ...axis,
          size: 64,
          values: (_: uPlot, splits: number[]) => splits.map(format),
        },
      ],
      cursor: { drag: { x: false, y: false } },
      // Axis and legend times in the display time zone from Settings.
      ...(timeZone === 'local' ? {} : { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), timeZone) }),
    }
    const chart = new uPlot(
      options,
      toData(latest.current.timestamps, latest.current.series),
      container,
    )
    chartRef.current = chart

    const observer =
      typeof ResizeObserver === 'function'
        ? new ResizeObserver(([entry]) => {
            const width = Math.floor(entry?.contentRect.width ?? 0)
            if (width > 0 && width !== chart.width) chart.setSize({ width, height })
          })
        : null
    observer?.observe(container)
    return () => {
      observer?.disconnect()
      chart.destroy()
      chartRef.current = null
    }
  }, [lines, scheme, height, timeZone])

  useEffect(() => {
    chartRef.current?.setData(toData(timestamps, series))
  }, [timestamps, series])

  return (
    <figure role="group" aria-labelledby={labelId} className="min-w-0">
      <figcaption id={labelId} className="sr-only">
        {label}
      </figcaption>
      <div ref={containerRef} aria-hidden="true" className="w-full min-w-0 overflow-hidden" />
    </figure>
  )
}
