import { useId } from 'react'
import type { ServiceOut } from '../../api'
import { RangePicker } from '../../components/RangePicker'
import { HostPanel } from './HostPanel'
import { LatencyPanel } from './LatencyPanel'
import { TrafficPanel } from './TrafficPanel'
import { useServicesUi } from './uiStore'

/** Latency, pushed traffic and the host's CPU and RAM, all over one time range. */
export function ServiceCharts({ service }: { service: ServiceOut }) {
  const range = useServicesUi((state) => state.range)
  const setRange = useServicesUi((state) => state.setRange)
  const headingId = useId()
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} className="text-lg font-semibold">
          Performance
        </h2>
        <RangePicker value={range} onChange={setRange} />
      </div>
      <LatencyPanel serviceId={service.id} range={range} />
      <TrafficPanel serviceId={service.id} range={range} />
      <HostPanel service={service} range={range} />
    </section>
  )
}
